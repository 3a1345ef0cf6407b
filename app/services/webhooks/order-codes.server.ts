// The discount codes of a batch of paid orders, and which of them are
// Encore's (reward, referral and offer codes): one statement for the batch,
// shared by the features that settle them (rewards, offers) — each feature
// gets the same orders array from runOrdersPaid, so the first one's lookup
// serves the others.
import type { Db } from "../../db.server";
import { ownedCodes, type CodeOwner } from "../../models/discount-code.server";
import { discountCodesOf, type OrderPayload } from "./payloads";

const ALL_OWNERS: readonly CodeOwner[] = ["redemption", "referral", "offer"];

export interface BatchCodes {
  /** Each order's codes that name one of the owner's rows, in the orders' order. */
  of(owner: CodeOwner): string[][];
}

const lookups = new WeakMap<readonly OrderPayload[], Promise<BatchCodes>>();

export function batchCodes(db: Db, shopId: string, orders: readonly OrderPayload[]): Promise<BatchCodes> {
  let lookup = lookups.get(orders);
  if (!lookup) {
    lookup = (async () => {
      const codes = orders.map(discountCodesOf);
      const owned = await ownedCodes(db, shopId, codes.flat(), ALL_OWNERS);
      return { of: (owner: CodeOwner) => codes.map((list) => list.filter((c) => owned[owner].has(c))) };
    })();
    lookups.set(orders, lookup);
  }
  return lookup;
}
