// Saving offers. An offer with a discount gets a real Shopify discount code,
// limited to the offered products, created (through discountCodeBasicCreate)
// before the offer is saved: if Shopify refuses it, nothing is saved and the
// merchant sees Shopify's message with the form as they left it.
import { randomBytes } from "node:crypto";
import type { Db } from "../../db.server";
import { DISCOUNT_CODE_BASIC_CREATE, DISCOUNT_CODE_DEACTIVATE } from "../../graphql/offers";
import { getOffer, invalidateOffersData, type OfferRow } from "../../models/offers.server";
import type { AdminGraphql } from "../shop-details.server";
import { adminQuery } from "./catalog.server";
import type { OfferErrors, OfferInput } from "./validation";

export function newDiscountCode(): string {
  // Crockford-like alphabet: no 0/O or 1/I for a code a shopper might type.
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(8);
  return `ENCORE-${[...bytes].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

export function discountInput(offer: Pick<OfferInput, "name" | "discountKind" | "discountValue" | "offeredProductIds" | "startsAt" | "endsAt">, code: string) {
  const value =
    offer.discountKind === "percent"
      ? // Shopify takes a fraction between 0 and 1.
        { percentage: Number(offer.discountValue) / 100 }
      : { discountAmount: { amount: offer.discountValue, appliesOnEachItem: false } };
  return {
    title: `Encore offer: ${offer.name}`,
    code,
    startsAt: (offer.startsAt ?? new Date()).toISOString(),
    endsAt: offer.endsAt ? offer.endsAt.toISOString() : null,
    context: { all: "ALL" },
    customerGets: { value, items: { products: { productsToAdd: offer.offeredProductIds } } },
    appliesOncePerCustomer: true,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  };
}

interface UserError {
  field: string[] | null;
  message: string;
}

export async function createOfferDiscount(graphql: AdminGraphql, offer: Parameters<typeof discountInput>[0]) {
  const code = newDiscountCode();
  const data = await adminQuery<{
    discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
  }>(graphql, DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: discountInput(offer, code) });
  const result = data.discountCodeBasicCreate;
  if (result.userErrors.length || !result.codeDiscountNode) {
    return { ok: false as const, message: result.userErrors.map((e) => e.message).join("; ") || "Shopify did not create the discount" };
  }
  return { ok: true as const, code, discountId: result.codeDiscountNode.id };
}

export async function deactivateDiscount(graphql: AdminGraphql, discountId: string) {
  try {
    await adminQuery(graphql, DISCOUNT_CODE_DEACTIVATE, { id: discountId });
  } catch (error) {
    // The new code is already live; an old code left active only costs the
    // merchant a discount that still works for those products.
    console.warn(`[offers] could not deactivate ${discountId}: ${String(error)}`);
  }
}

const discountChanged = (before: OfferRow, after: OfferInput) =>
  before.discountKind !== after.discountKind ||
  before.discountValue !== after.discountValue ||
  before.offeredProductIds !== JSON.stringify(after.offeredProductIds) ||
  (before.startsAt?.getTime() ?? null) !== (after.startsAt?.getTime() ?? null) ||
  (before.endsAt?.getTime() ?? null) !== (after.endsAt?.getTime() ?? null) ||
  before.name !== after.name;

export type SaveResult = { ok: true; offer: OfferRow } | { ok: false; errors: OfferErrors };

/** Creates (id null) or updates an offer, creating its discount code when needed. */
export async function saveOffer(db: Db, graphql: AdminGraphql, shopId: string, id: string | null, input: OfferInput): Promise<SaveResult> {
  const existing = id ? await getOffer(db, shopId, id) : null;
  if (id && !existing) return { ok: false, errors: { form: "This offer no longer exists" } };

  let discount: { discountCode: string | null; discountId: string | null } = {
    discountCode: existing?.discountCode ?? null,
    discountId: existing?.discountId ?? null,
  };
  const needsCode = input.discountKind !== null && (!existing || !existing.discountCode || discountChanged(existing, input));
  if (needsCode) {
    let created;
    try {
      created = await createOfferDiscount(graphql, input);
    } catch (error) {
      return { ok: false, errors: { form: `Shopify could not be reached to create the discount code: ${String(error)}` } };
    }
    if (!created.ok) return { ok: false, errors: { discountValue: `Shopify refused the discount: ${created.message}` } };
    discount = { discountCode: created.code, discountId: created.discountId };
  } else if (input.discountKind === null) {
    discount = { discountCode: null, discountId: null };
  }
  if (existing?.discountId && existing.discountId !== discount.discountId) await deactivateDiscount(graphql, existing.discountId);

  const data = {
    name: input.name,
    enabled: input.enabled,
    priority: input.priority,
    triggerType: input.triggerType,
    triggerValues: JSON.stringify(input.triggerValues),
    minOrderValue: input.minOrderValue,
    maxOrderValue: input.maxOrderValue,
    offeredProductIds: JSON.stringify(input.offeredProductIds),
    discountKind: input.discountKind,
    discountValue: input.discountValue,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    ...discount,
  };
  const offer = existing ? await db.offer.update({ where: { id: existing.id }, data }) : await db.offer.create({ data: { shopId, ...data } });
  invalidateOffersData(db, shopId);
  return { ok: true, offer };
}

export async function setOfferEnabled(db: Db, shopId: string, id: string, enabled: boolean) {
  const result = await db.offer.updateMany({ where: { shopId, id }, data: { enabled } });
  invalidateOffersData(db, shopId);
  return result;
}

/** Deletes an offer (its tracking stays, for the record) and retires its code. */
export async function deleteOffer(db: Db, graphql: AdminGraphql, shopId: string, id: string) {
  const offer = await getOffer(db, shopId, id);
  if (!offer) return false;
  const running = await db.offerTest.count({ where: { shopId, status: "running", OR: [{ offerAId: id }, { offerBId: id }] } });
  if (running) throw new Error("End the A/B test that uses this offer before deleting it");
  await db.offer.delete({ where: { id: offer.id } });
  invalidateOffersData(db, shopId);
  if (offer.discountId) await deactivateDiscount(graphql, offer.discountId);
  return true;
}
