// Earning rules (validated by app/services/loyalty/rules.ts before they get here).
import type { Db, Tx } from "../db.server";
import { cachedShopData, invalidateShopData } from "../services/cache.server";
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

/**
 * The rules through the per-shop cache (../services/cache.server.ts), for
 * orders/paid, which reads them on every order. Every write below forgets
 * them in this process; other processes read them again within seconds.
 */
export function cachedRules(db: Db, shopId: string): Promise<Rule[]> {
  return cachedShopData(db, shopId, "earning-rules", () => listRules(db, shopId));
}

export const forgetRules = (db: Db, shopId: string) => invalidateShopData(db, shopId, "earning-rules");

export async function getRule(db: Db, shopId: string, id: string): Promise<Rule | null> {
  const row = await db.earningRule.findFirst({ where: { id, shopId } });
  return row ? toRule(row) : null;
}

export async function createRule(db: Db, shopId: string, rule: Omit<Rule, "id">) {
  const created = await db.earningRule.create({ data: { shopId, ...rule } });
  forgetRules(db, shopId);
  return created;
}

/** Updates the shop's rule; false when it does not exist (or is another shop's). */
export async function updateRule(db: Db, shopId: string, id: string, rule: Omit<Rule, "id">) {
  const { count } = await db.earningRule.updateMany({ where: { id, shopId }, data: rule });
  forgetRules(db, shopId);
  return count > 0;
}

export async function deleteRule(db: Db, shopId: string, id: string) {
  const { count } = await db.earningRule.deleteMany({ where: { id, shopId } });
  forgetRules(db, shopId);
  return count > 0;
}
