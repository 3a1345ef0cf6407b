// Which discount codes on paid orders are Encore's own. Most orders carry no
// code or the merchant's own codes; one statement for a batch of orders tells
// the few that name an unused reward code, a referral's code or an offer's
// code, so that only those orders are read row by row.
import type { Db } from "../db.server";
import { inList } from "./sql";
import { direct } from "../db/direct";

export type CodeOwner = "redemption" | "referral" | "offer";

// (Each table's lookup uses its unique or (shopId, code) index.)
const LOOKUPS: Record<CodeOwner, (shop: string, codes: string) => string> = {
  redemption: (shop, codes) => `SELECT 'redemption' AS "owner", "code" FROM "Redemption" WHERE "shopId" = ${shop} AND "code" IN (${codes}) AND "status" <> 'used'`,
  referral: (shop, codes) => `SELECT 'referral' AS "owner", "discountCode" AS "code" FROM "Referral" WHERE "shopId" = ${shop} AND "discountCode" IN (${codes})`,
  offer: (shop, codes) => `SELECT 'offer' AS "owner", "discountCode" AS "code" FROM "Offer" WHERE "shopId" = ${shop} AND "discountCode" IN (${codes})`,
};

/** For each owner asked about, the codes among `codes` that name one of its rows. */
export async function ownedCodes(db: Db, shopId: string, codes: Iterable<string>, owners: readonly CodeOwner[]): Promise<Record<CodeOwner, Set<string>>> {
  const found: Record<CodeOwner, Set<string>> = { redemption: new Set(), referral: new Set(), offer: new Set() };
  const distinct = [...new Set(codes)];
  if (!distinct.length || !owners.length) return found;
  // Numbered placeholders, each used once and in order (see ./sql.ts).
  let next = 1;
  const sql = owners
    .map((owner) => {
      const shop = `$${next++}`;
      const list = inList(distinct.length, next);
      next += distinct.length;
      return LOOKUPS[owner](shop, list);
    })
    .join(" UNION ALL ");
  const params = owners.flatMap(() => [shopId, ...distinct]);
  const rows = await direct(db).$queryRawUnsafe<{ owner: CodeOwner; code: string }[]>(sql, ...params);
  for (const row of rows) found[row.owner].add(row.code);
  return found;
}
