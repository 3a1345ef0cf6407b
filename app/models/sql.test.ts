import { describe, expect, it } from "vitest";
import { insertStatement, newRowId, valuesList } from "./sql";

describe("newRowId", () => {
  it("is a version 7 UUID carrying the time, unique, and sorting in the order of its times", () => {
    const id = newRowId(Date.UTC(2026, 11, 3, 12, 0, 0));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 3, 12, 0, 0));

    // Across the entropy pool's refills (256 ids each), never a repeat.
    const ids = Array.from({ length: 2000 }, () => newRowId());
    expect(new Set(ids).size).toBe(ids.length);
    // A later millisecond sorts after every id of an earlier one.
    const earlier = Array.from({ length: 50 }, () => newRowId(1_000_000));
    const later = Array.from({ length: 50 }, () => newRowId(1_000_001));
    expect([...later, ...earlier].sort()).toEqual([...[...earlier].sort(), ...[...later].sort()]);
  });

  it("give PostgreSQL the rows as one JSON parameter, only the named columns, missing ones null", () => {
    const postgres = { _activeProvider: "postgresql" };
    const at = new Date(Date.UTC(2026, 11, 3, 12, 0, 0, 5));
    expect(insertStatement(postgres, "T", ["a", "b", "at"], [{ a: 1, b: 'say "hi"', at, extra: true }, { a: 2, b: null, at: null }])).toEqual({
      sql: 'INSERT INTO "T" ("a", "b", "at") SELECT "a", "b", "at" FROM json_populate_recordset(NULL::"T", $1::json)',
      params: ['[{"a":1,"b":"say \\"hi\\"","at":"2026-12-03T12:00:00.005Z"},{"a":2,"b":null,"at":null}]'],
    });
  });
});

describe("statement builders", () => {
  it("number placeholders in order, row by row", () => {
    expect(valuesList(2, 3, 4)).toBe("($4, $5, $6), ($7, $8, $9)");
    expect(insertStatement({}, "T", ["a", "b"], [{ a: 1, b: "x" }, { a: 2, b: "y" }])).toEqual({
      sql: 'INSERT INTO "T" ("a", "b") VALUES ($1, $2), ($3, $4)',
      params: [1, "x", 2, "y"],
    });
  });
});
