// Members and balances as CSV (Customers page → Export).
import type { Db } from "../../db.server";
import { eachCustomer, type CustomerSort, type TierFilter } from "../../models/customer.server";
import { listTiers } from "../../models/tier.server";
import { customerName, legacyId } from "./display";

/** One CSV cell: quoted when needed, and never read as a formula by spreadsheets. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const MEMBER_COLUMNS = ["Name", "Email", "Shopify customer ID", "Tier", "Spendable points", "Pending points", "Birthday", "Member since"];

export async function membersCsv(db: Db, shopId: string, filters: { query?: string; tier?: TierFilter; sort?: CustomerSort }): Promise<string> {
  const tiers = new Map((await listTiers(db, shopId)).map((t) => [t.id, t.name]));
  const lines = [MEMBER_COLUMNS.map(csvCell).join(",")];
  for await (const c of eachCustomer(db, shopId, filters)) {
    lines.push(
      [
        customerName(c),
        c.email,
        legacyId(c.shopifyId),
        c.tierId ? (tiers.get(c.tierId) ?? "") : "",
        c.balance,
        c.pendingBalance,
        c.birthday,
        c.createdAt.toISOString().slice(0, 10),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
