// Points expiry (Shop.expiryPolicy): none; inactivity (the whole balance
// expires expiryMonths after the customer's last order, redemption or
// adjustment); fifo (each batch expires expiryMonths after it became
// spendable, oldest first — see ./expiry.ts). The daily job writes `expire`
// entries under keys derived from what expired, so a second run writes
// nothing. Pending points never expire (they are not spendable yet).
import type { Db } from "../../db.server";
import { isUniqueViolation } from "../../models/errors";
import { appendEntry, entryExists } from "../../models/ledger.server";
import { activeShops, getShop, type ShopRecord } from "../../models/shop.server";
import { lastActivity, openBatches } from "./expiry";
import { addDays, addMonths } from "./program";

interface Member {
  id: string;
  balance: number;
  entries: { id: string; type: string; points: number; createdAt: Date }[];
}

/** Customers of the shop with a positive balance, with their ledgers, a page at a time. */
async function* membersWithPoints(db: Db, shopId: string): AsyncGenerator<Member> {
  let cursor: string | undefined;
  for (;;) {
    const page = await db.customer.findMany({
      where: { shopId, balance: { gt: 0 } },
      select: { id: true, balance: true },
      orderBy: { id: "asc" },
      take: 200,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (page.length === 0) return;
    const entries = await db.ledgerEntry.findMany({
      where: { customerId: { in: page.map((c) => c.id) } },
      select: { id: true, customerId: true, type: true, points: true, createdAt: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    for (const c of page) yield { ...c, entries: entries.filter((e) => e.customerId === c.id) };
    cursor = page[page.length - 1].id;
  }
}

export interface Expiring {
  /** Points that expire (before the date, unless spent). */
  points: number;
  expiresAt: Date;
  /** The expire entry's natural key. */
  key: string;
}

/** What the policy expires for one member by `until`, grouped as the job would write it. */
function dueFor(shop: Pick<ShopRecord, "expiryPolicy" | "expiryMonths">, member: Member, until: Date, from?: Date): Expiring | null {
  if (member.balance <= 0) return null;
  if (shop.expiryPolicy === "fifo") {
    const due = openBatches(member.entries).filter((b) => {
      const at = addMonths(b.at, shop.expiryMonths);
      return at <= until && (!from || at > from);
    });
    if (due.length === 0) return null;
    const points = Math.min(member.balance, due.reduce((s, b) => s + b.remaining, 0));
    return { points, expiresAt: addMonths(due[0].at, shop.expiryMonths), key: `expire:fifo:${due[due.length - 1].id}` };
  }
  if (shop.expiryPolicy === "inactivity") {
    const last = lastActivity(member.entries);
    if (!last) return null;
    const at = addMonths(last.createdAt, shop.expiryMonths);
    if (at > until || (from && at <= from)) return null;
    return { points: member.balance, expiresAt: at, key: `expire:inactive:${member.id}:${last.id}` };
  }
  return null;
}

/** Expires what the shop's policy says is due at `now`. Returns the points expired. */
export async function expireShopPoints(db: Db, shop: ShopRecord, now: Date): Promise<number> {
  if (shop.expiryPolicy === "none") return 0;
  let expired = 0;
  for await (const member of membersWithPoints(db, shop.id)) {
    const due = dueFor(shop, member, now);
    if (!due || due.points <= 0 || (await entryExists(db, shop.id, due.key))) continue;
    try {
      const entry = await db.$transaction((tx) =>
        appendEntry(tx, {
          shopId: shop.id,
          customerId: member.id,
          type: "expire",
          points: -due.points,
          sourceType: "program",
          idempotencyKey: due.key,
          reason:
            shop.expiryPolicy === "fifo"
              ? `Points older than ${shop.expiryMonths} months expired`
              : `No orders or redemptions for ${shop.expiryMonths} months`,
          // Expiry never takes a balance below zero, whatever the shop's policy for refunds.
          allowNegative: false,
          at: now,
        }),
      );
      expired += -entry.points;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return expired;
}

/** The daily job across shops. Idempotent. */
export async function expirePoints(db: Db, now: Date): Promise<number> {
  let expired = 0;
  for (const shop of await activeShops(db, { expiryPolicy: { not: "none" } })) expired += await expireShopPoints(db, shop, now);
  return expired;
}

export interface ExpiringSoon {
  customerId: string;
  points: number;
  /** When the (first of these) points expire. */
  expiresAt: Date;
}

/**
 * Customers with points that expire after `now` and no later than
 * `withinDays` from now, unless they spend them or (inactivity policy) order
 * again. For reminder emails.
 */
export async function pointsExpiringSoon(db: Db, shopId: string, now: Date, withinDays: number): Promise<ExpiringSoon[]> {
  const shop = await getShop(db, shopId);
  if (!shop || shop.expiryPolicy === "none") return [];
  const until = addDays(now, withinDays);
  const out: ExpiringSoon[] = [];
  for await (const member of membersWithPoints(db, shopId)) {
    const due = dueFor(shop, member, until, now);
    if (due && due.points > 0) out.push({ customerId: member.id, points: due.points, expiresAt: due.expiresAt });
  }
  return out;
}
