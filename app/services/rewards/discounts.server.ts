// Single-use Shopify discount codes: the input Shopify expects for each kind
// of reward (pure, so it is unit-tested), and the calls, each bounded by a
// timeout so a slow Admin API cannot hold a customer's points hostage.
import { createHash } from "node:crypto";
import { CODE_DISCOUNT_NODE_BY_CODE, DISCOUNT_CODE_BASIC_CREATE, DISCOUNT_CODE_FREE_SHIPPING_CREATE } from "../../graphql/discounts";
import type { AdminGraphql } from "../shop-details.server";
import type { RewardKind } from "./catalog";

export interface CodeSpec {
  title: string;
  code: string;
  kind: RewardKind;
  value: string | null;
  productId: string | null;
  minimumSubtotal: string | null;
  startsAt: Date;
  endsAt: Date | null;
  /** Only this customer may use it; without one, the code is limited to one use. */
  customerGid: string | null;
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I

/**
 * The code for a request, derived from it (not random) so that after a
 * timeout the same code can be looked up in Shopify before trying again.
 */
export function deterministicCode(prefix: string, shopId: string, requestKey: string): string {
  const digest = createHash("sha256").update(`${shopId}\n${requestKey}`).digest();
  let out = "";
  for (let i = 0; i < 10; i++) out += CODE_ALPHABET[digest[i] % CODE_ALPHABET.length];
  return `${prefix}-${out}`;
}

const percentage = (value: string | null) => Number(value) / 100;

export function discountMutation(spec: CodeSpec): { query: string; variables: Record<string, unknown> } {
  const common = {
    title: spec.title,
    code: spec.code,
    startsAt: spec.startsAt.toISOString(),
    endsAt: spec.endsAt ? spec.endsAt.toISOString() : null,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: spec.customerGid ? { customers: { add: [spec.customerGid] } } : { all: "ALL" },
    minimumRequirement: spec.minimumSubtotal
      ? { subtotal: { greaterThanOrEqualToSubtotal: spec.minimumSubtotal } }
      : null,
  };
  if (spec.kind === "free_shipping") {
    return {
      query: DISCOUNT_CODE_FREE_SHIPPING_CREATE,
      variables: { freeShippingCodeDiscount: { ...common, destination: { all: true } } },
    };
  }
  const customerGets =
    spec.kind === "amount_off"
      ? { value: { discountAmount: { amount: spec.value, appliesOnEachItem: false } }, items: { all: true } }
      : spec.kind === "percentage_off"
        ? { value: { percentage: percentage(spec.value) }, items: { all: true } }
        : // Free product: 100 % off that product (all its variants). A basic
          // code discount cannot cap the units, so the code's single use and
          // the customer restriction are what bound it.
          { value: { percentage: 1 }, items: { products: { productsToAdd: [spec.productId] } } };
  return { query: DISCOUNT_CODE_BASIC_CREATE, variables: { basicCodeDiscount: { ...common, customerGets } } };
}

export type CreateOutcome =
  | { status: "created"; discountId: string }
  /** Shopify answered and refused (userErrors): certainly no code. */
  | { status: "rejected"; message: string }
  /** No answer, an HTTP error or a timeout: the code may or may not exist. */
  | { status: "unknown"; message: string };

export const DEFAULT_TIMEOUT_MS = 5_000;

interface GraphqlError {
  message?: string;
}

async function call(graphql: AdminGraphql, query: string, variables: Record<string, unknown>, timeoutMs: number) {
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await graphql(query, { variables, signal } as never);
  const body = (await response.json()) as { data?: Record<string, any>; errors?: GraphqlError[] | GraphqlError };
  if (body.errors) {
    const errors = Array.isArray(body.errors) ? body.errors : [body.errors];
    throw new Error(errors.map((e) => e.message ?? "GraphQL error").join("; "));
  }
  return body.data ?? {};
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError" || /abort/i.test(error.message)) {
      return "Shopify did not answer in time";
    }
    return error.message;
  }
  return String(error);
}

export async function createDiscountCode(graphql: AdminGraphql, spec: CodeSpec, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CreateOutcome> {
  const { query, variables } = discountMutation(spec);
  try {
    const data = await call(graphql, query, variables, timeoutMs);
    const payload = data.discountCodeBasicCreate ?? data.discountCodeFreeShippingCreate;
    const userErrors = (payload?.userErrors ?? []) as { message: string }[];
    if (userErrors.length) return { status: "rejected", message: userErrors.map((e) => e.message).join("; ") };
    const id = payload?.codeDiscountNode?.id as string | undefined;
    if (!id) return { status: "unknown", message: "Shopify returned no discount" };
    return { status: "created", discountId: id };
  } catch (error) {
    return { status: "unknown", message: describe(error) };
  }
}

/** The discount holding `code`, null when there is none; throws when Shopify cannot say. */
export async function findDiscountByCode(graphql: AdminGraphql, code: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string | null> {
  try {
    const data = await call(graphql, CODE_DISCOUNT_NODE_BY_CODE, { code }, timeoutMs);
    return (data.codeDiscountNodeByCode?.id as string | undefined) ?? null;
  } catch (error) {
    throw new Error(describe(error));
  }
}
