// Balance and tier as customer metafields ($app:encore.points_balance and
// $app:encore.tier) so themes, notification emails and Flow can use them.
// The sync is idempotent: it writes the current values, and remembers what it
// wrote so unchanged customers cost no API call.
import type { Db } from "../../db.server";
import { METAFIELDS_SET } from "../../graphql/metafields";
import type { AdminGraphql } from "../shop-details.server";
import { tierNameOf } from "./program.server";

export const METAFIELD_NAMESPACE = "$app:encore";

export function metafieldInputs(customerGid: string, balance: number, tier: string | null) {
  const inputs = [{ ownerId: customerGid, namespace: METAFIELD_NAMESPACE, key: "points_balance", type: "number_integer", value: String(balance) }];
  // Written only when tiers exist and one applies.
  if (tier) inputs.push({ ownerId: customerGid, namespace: METAFIELD_NAMESPACE, key: "tier", type: "single_line_text_field", value: tier });
  return inputs;
}

export type SyncOutcome = "written" | "unchanged" | "skipped";

export async function syncCustomerMetafields(db: Db, graphql: AdminGraphql, customerId: string, now: Date): Promise<SyncOutcome> {
  const customer = await db.customer.findUnique({ where: { id: customerId } });
  if (!customer || customer.redactedAt || !customer.shopifyId.startsWith("gid://shopify/Customer/")) return "skipped";
  const tier = await tierNameOf(db, customer);
  const last = await db.metafieldSync.findUnique({ where: { customerId } });
  if (last && last.balance === customer.balance && last.tier === tier) return "unchanged";
  const response = await graphql(METAFIELDS_SET, { variables: { metafields: metafieldInputs(customer.shopifyId, customer.balance, tier) } });
  const body = (await response.json()) as { data?: { metafieldsSet?: { userErrors?: { message: string }[] } }; errors?: unknown };
  const errors = body.data?.metafieldsSet?.userErrors ?? [];
  if (body.errors || !body.data?.metafieldsSet) throw new Error(`metafieldsSet failed: ${JSON.stringify(body.errors ?? body)}`);
  if (errors.length) throw new Error(`metafieldsSet refused: ${errors.map((e) => e.message).join("; ")}`);
  await db.metafieldSync.upsert({
    where: { customerId },
    create: { customerId, shopId: customer.shopId, balance: customer.balance, tier, syncedAt: now },
    update: { balance: customer.balance, tier, syncedAt: now },
  });
  return "written";
}

/**
 * Customers whose balance differs from what their metafields say, changed
 * since `since`: a page at a time, in the order they changed, until all are
 * read. Scanning for them catches every change (orders, refunds,
 * redemptions, adjustments, expiry) without each writer having to remember
 * to enqueue. (Once it read only the 500 that changed first: on a busy hour,
 * once those were synced, each scan found them again and nobody after them.)
 */
export async function* customersNeedingSync(db: Db, since: Date, pageSize = 500) {
  let after: { updatedAt: Date; id: string } | undefined;
  for (;;) {
    const changed = await db.customer.findMany({
      where: {
        redactedAt: null,
        updatedAt: { gte: since },
        ...(after && { OR: [{ updatedAt: { gt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { gt: after.id } }] }),
      },
      select: { id: true, shopId: true, balance: true, updatedAt: true },
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take: pageSize,
    });
    if (!changed.length) return;
    const synced = await db.metafieldSync.findMany({ where: { customerId: { in: changed.map((c) => c.id) } }, select: { customerId: true, balance: true } });
    const byId = new Map(synced.map((s) => [s.customerId, s.balance]));
    yield changed.filter((c) => byId.get(c.id) !== c.balance);
    if (changed.length < pageSize) return;
    after = changed[changed.length - 1];
  }
}
