// Earning rules (validated by app/services/loyalty/rules.ts before they get here).
import type { Db, Tx } from "../db.server";
import type { Rule, RuleKind, RuleTarget } from "../services/loyalty/rules";

type Row = NonNullable<Awaited<ReturnType<Db["earningRule"]["findFirst"]>>>;

export const toRule = (row: Row): Rule => ({
  id: row.id,
  name: row.name,
  kind: row.kind as RuleKind,
  target: row.target as RuleTarget,
  value: row.value,
  multiplier: row.multiplier,
  bonusPoints: row.bonusPoints,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  active: row.active,
});

export async function listRules(db: Db | Tx, shopId: string): Promise<Rule[]> {
  const rows = await db.earningRule.findMany({ where: { shopId }, orderBy: [{ kind: "asc" }, { createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toRule);
}

export async function getRule(db: Db, shopId: string, id: string): Promise<Rule | null> {
  const row = await db.earningRule.findFirst({ where: { id, shopId } });
  return row ? toRule(row) : null;
}

export function createRule(db: Db, shopId: string, rule: Omit<Rule, "id">) {
  return db.earningRule.create({ data: { shopId, ...rule } });
}

/** Updates the shop's rule; false when it does not exist (or is another shop's). */
export async function updateRule(db: Db, shopId: string, id: string, rule: Omit<Rule, "id">) {
  const { count } = await db.earningRule.updateMany({ where: { id, shopId }, data: rule });
  return count > 0;
}

export async function deleteRule(db: Db, shopId: string, id: string) {
  const { count } = await db.earningRule.deleteMany({ where: { id, shopId } });
  return count > 0;
}
