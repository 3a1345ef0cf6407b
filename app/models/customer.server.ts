import type { Db, Tx } from "../db.server";
import { insertStatement, newRowId } from "./sql";
import { direct } from "../db/direct";

export interface CustomerData {
  shopifyId: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  tags?: string | null;
  emailMarketingConsent?: string | null;
  locale?: string | null;
}

function fields(data: CustomerData) {
  // Only overwrite what the payload actually carries: an order's embedded
  // customer may lack fields that customers/update sent earlier.
  const out: Record<string, string | null> & { searchText?: string } = {};
  for (const key of ["email", "firstName", "lastName", "phone", "tags", "emailMarketingConsent", "locale"] as const) {
    if (data[key] !== undefined) out[key] = key === "tags" ? (data[key] ?? "") : (data[key] ?? null);
  }
  return out;
}

export function searchTextOf(c: { firstName?: string | null; lastName?: string | null; email?: string | null }) {
  return [c.firstName, c.lastName, c.email].filter(Boolean).join(" ").toLowerCase();
}

export interface SavedCustomer {
  id: string;
  tags: string | null;
  tierId: string | null;
}

/**
 * Creates or updates the customer in one statement (INSERT … ON CONFLICT DO
 * UPDATE, the same on SQLite and PostgreSQL), safe when two webhooks race to
 * create it. It runs on every order webhook: Prisma's upsert costs several
 * times as much. Answers what orders/paid needs next (its tags and tier).
 */
export async function upsertCustomer(db: Db | Tx, shopId: string, data: CustomerData): Promise<SavedCustomer> {
  return (await upsertCustomers(db, shopId, [data])).get(data.shopifyId)!;
}

/**
 * upsertCustomer for the customers of a batch of orders, one statement for
 * all whose payloads carry the same fields (the usual case). A customer given
 * twice is written once, with the last data. Keyed by Shopify id.
 */
export async function upsertCustomers(db: Db | Tx, shopId: string, list: CustomerData[]): Promise<Map<string, SavedCustomer>> {
  const upsert = await customersUpsert(db, shopId, list);
  const client = direct(db);
  const results = [];
  for (const { sql, params } of upsert.queries) results.push(await client.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params));
  return upsert.saved(results);
}

/**
 * upsertCustomers' statements, to run where the caller likes (orders/paid's
 * transaction opens with them: see creditOrders), and the reading of their
 * rows, one list per statement, into the saved customers.
 */
export async function customersUpsert(db: Db | Tx, shopId: string, list: CustomerData[]) {
  // Sorted by Shopify id: the order the statement locks existing rows in, the
  // same as appendCredits', so concurrent batches never deadlock on customers.
  const latest = new Map(list.map((d) => [d.shopifyId, d]));
  const sorted = [...latest.values()].sort((a, b) => (a.shopifyId < b.shopifyId ? -1 : a.shopifyId > b.shopifyId ? 1 : 0));
  const now = new Date();
  // Rows grouped by the columns they write: one statement per group.
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const data of sorted) {
    const values = fields(data);
    // The search text needs the stored name and email only where the payload lacks them.
    const complete = values.firstName !== undefined && values.lastName !== undefined && values.email !== undefined;
    const existing = complete
      ? null
      : await db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: data.shopifyId } }, select: { firstName: true, lastName: true, email: true } });
    values.searchText = searchTextOf({ ...existing, ...values });
    const row: Record<string, unknown> = { id: newRowId(), shopId, shopifyId: data.shopifyId, createdAt: now, updatedAt: now, ...values };
    const key = Object.keys(row).join(",");
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const queries = [...groups.values()].map((rows) => {
    const columns = Object.keys(rows[0]);
    const updated = columns.filter((c) => !["id", "shopId", "shopifyId", "createdAt"].includes(c));
    const insert = insertStatement(db, "Customer", columns, rows);
    return {
      sql: `${insert.sql} ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET ${updated.map((c) => `"${c}" = excluded."${c}"`).join(", ")}
       RETURNING "id", "shopifyId", "tags", "tierId"`,
      params: insert.params,
    };
  });
  const saved = (results: readonly Record<string, unknown>[][]) => {
    const customers = new Map<string, SavedCustomer>();
    for (const rows of results) {
      for (const row of rows) customers.set(String(row.shopifyId), { id: String(row.id), tags: row.tags as string | null, tierId: row.tierId as string | null });
    }
    return customers;
  };
  return { queries, saved };
}

export function findCustomerByShopifyId(db: Db | Tx, shopId: string, shopifyId: string) {
  return db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
}

export function getCustomer(db: Db, shopId: string, id: string) {
  return db.customer.findFirst({ where: { id, shopId } });
}

export const CUSTOMER_SORTS = ["balance-desc", "balance-asc", "name-asc", "recent"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

const ORDER_BY = {
  "balance-desc": [{ balance: "desc" }, { id: "asc" }],
  "balance-asc": [{ balance: "asc" }, { id: "asc" }],
  "name-asc": [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
  recent: [{ createdAt: "desc" }, { id: "asc" }],
} as const;

/** "none" = customers in no tier. */
export type TierFilter = string | null;

function customerWhere(shopId: string, query: string, tier: TierFilter) {
  const q = query.trim();
  return {
    shopId,
    redactedAt: null,
    ...(q ? { searchText: { contains: q.toLowerCase() } } : {}),
    ...(tier ? { tierId: tier === "none" ? null : tier } : {}),
  };
}

/** A page of the shop's customers, optionally filtered by name or email and by tier. */
export async function listCustomers(
  db: Db,
  shopId: string,
  {
    query = "",
    sort = "balance-desc",
    page = 1,
    pageSize = 25,
    tier = null,
  }: { query?: string; sort?: CustomerSort; page?: number; pageSize?: number; tier?: TierFilter },
) {
  const where = customerWhere(shopId, query, tier);
  const [total, rows] = await Promise.all([
    db.customer.count({ where }),
    db.customer.findMany({
      where,
      orderBy: [...ORDER_BY[sort]],
      skip: (Math.max(1, page) - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { total, rows, page: Math.max(1, page), pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** Every member matching the filters, a page at a time, for the CSV export. */
export async function* eachCustomer(db: Db, shopId: string, { query = "", tier = null, sort = "balance-desc" }: { query?: string; tier?: TierFilter; sort?: CustomerSort }) {
  const where = customerWhere(shopId, query, tier);
  for (let skip = 0; ; skip += 500) {
    const rows = await db.customer.findMany({ where, orderBy: [...ORDER_BY[sort]], skip, take: 500 });
    yield* rows;
    if (rows.length < 500) return;
  }
}

export function setBirthday(db: Db, shopId: string, id: string, birthday: string | null) {
  return db.customer.updateMany({ where: { id, shopId }, data: { birthday } });
}

/**
 * customers/redact: the customer's personal data goes, and so does the link
 * between the ledger and their Shopify identity. The balance arithmetic stays
 * so that the shop's totals remain true.
 */
export async function redactCustomer(db: Db, shopId: string, shopifyId: string, orderIds: string[]) {
  await db.$transaction(async (tx) => {
    const customer = await tx.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
    if (customer) {
      await tx.customer.update({
        where: { id: customer.id },
        data: {
          shopifyId: `redacted:${customer.id}`,
          email: null,
          firstName: null,
          lastName: null,
          phone: null,
          tags: "",
          emailMarketingConsent: null,
          locale: null,
          birthday: null,
          searchText: "",
          redactedAt: new Date(),
        },
      });
      // Merchant-written reasons may name the customer.
      await tx.ledgerEntry.updateMany({ where: { customerId: customer.id, reason: { not: null } }, data: { reason: "[redacted]" } });
      await tx.dataRequest.deleteMany({ where: { shopId, customerShopifyId: shopifyId } });
    }
    if (orderIds.length) {
      await tx.orderAward.updateMany({ where: { shopId, orderId: { in: orderIds } }, data: { orderName: null } });
    }
    // Deliveries not processed yet still hold their bodies; drop this customer's.
    const legacy = shopifyId.slice(shopifyId.lastIndexOf("/") + 1);
    await tx.webhookEvent.updateMany({
      where: { shopId, payload: { contains: legacy } },
      data: { payload: null, status: "failed", error: "payload erased by customers/redact" },
    });
  });
}
