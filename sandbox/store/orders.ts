/**
 * The seeded store's order stream: what Shopify would deliver to Encore as
 * webhooks while the shop trades.
 *
 * Each `next()` places one order a few minutes after the previous one and
 * returns the webhooks due by then: `customers/create` for a customer's first
 * order, `orders/paid` for the order itself, and the refunds and
 * cancellations of earlier orders whose time has come (a refund lands days
 * after its order, a cancellation hours after). Bodies follow Shopify's REST
 * webhook shapes (API 2026-10) field for field, with amounts that add up the
 * way Shopify's do: money is computed in integer cents and only formatted at
 * the edge.
 *
 * Baskets are not random: the first item follows collection popularity and
 * the rest mostly follow a co-purchase table (jeans → shoes, tees, jackets,
 * belts; dresses → shoes, bags…), bestsellers sell more, and a skewed pick of
 * customers makes about a third of them come back — the patterns Encore's
 * offers and loyalty features are meant to find.
 */
import { collectionHandleOf, isOrderable, SHOP } from "./catalog.ts";
import type { Catalog, Product, Variant } from "./catalog.ts";
import { buildAddress, fictionalPhone, uniqueEmail } from "./customers.ts";
import type { CustomerAddress, SandboxCustomer } from "./customers.ts";
import { rng } from "./random.ts";
import type { Rng } from "./random.ts";

// ---------------------------------------------------------------------------
// Public types

export type StoreEvent =
  | { topic: "customers/create"; at: string; payload: object }
  | { topic: "orders/paid"; at: string; payload: object; orderId: number }
  | { topic: "refunds/create"; at: string; payload: object; orderId: number }
  | { topic: "orders/cancelled"; at: string; payload: object; orderId: number };

export interface OrderStreamOptions {
  catalog: Catalog;
  customers: SandboxCustomer[];
  seed?: number;
  /** When the first order is placed. */
  start: Date;
  /** Share of orders placed by guests (no customer account). */
  guestRate?: number;
  /** Share of orders partly refunded some days later. */
  refundRate?: number;
  /** Share of orders cancelled (and fully refunded) a few hours later. */
  cancelRate?: number;
  /** Share of orders using a discount code. */
  discountRate?: number;
}

export interface OrderStream {
  /** Places the next order; returns every event due up to and including it, in time order. */
  next(): StoreEvent[];
  /** `next()` n times, concatenated. */
  take(n: number): StoreEvent[];
  /** Releases every scheduled refund and cancellation now, in time order; later orders follow them. */
  flush(): StoreEvent[];
}

export const ORDER_ID_BASE = 5_500_000_000_000;
export const FIRST_ORDER_NUMBER = 1001;
export const TAX_RATE_PERCENT = 7;
export const FREE_SHIPPING_FROM_CENTS = 7_500;
export const SHIPPING_CENTS = 695;

// ---------------------------------------------------------------------------
// Shopping behaviour

/** How often an order starts in each collection. */
const COLLECTION_POPULARITY: Record<string, number> = {
  "t-shirts": 15, jeans: 14, dresses: 9, hoodies: 8, shirts: 8, activewear: 8, shoes: 6,
  accessories: 7, sweaters: 6, jackets: 5, shorts: 5, socks: 4,
};

interface Affinity {
  collection: string;
  /** Narrows an affinity to one kind of product ("Belt" within accessories). */
  productType?: string;
  weight: number;
}

const aff = (collection: string, weight: number, productType?: string): Affinity => ({ collection, weight, productType });

/** What else goes in the basket, given an item already in it. */
const AFFINITIES: Record<string, Affinity[]> = {
  jeans: [aff("shoes", 8), aff("t-shirts", 3), aff("jackets", 2.5), aff("accessories", 2, "Belt")],
  dresses: [aff("shoes", 3), aff("accessories", 2.5, "Bag"), aff("accessories", 1, "Cap"), aff("jackets", 1)],
  jackets: [aff("sweaters", 3), aff("jeans", 3), aff("hoodies", 1), aff("accessories", 1, "Cap")],
  activewear: [aff("socks", 3), aff("shorts", 3), aff("activewear", 2)],
  shirts: [aff("jeans", 3), aff("shoes", 1.5), aff("accessories", 1.5, "Belt"), aff("sweaters", 1)],
  "t-shirts": [aff("jeans", 3), aff("shorts", 2), aff("t-shirts", 2), aff("hoodies", 1)],
  shoes: [aff("socks", 4), aff("jeans", 2), aff("t-shirts", 1)],
  hoodies: [aff("t-shirts", 2), aff("jeans", 2), aff("activewear", 1)],
  sweaters: [aff("shirts", 2), aff("jeans", 2), aff("jackets", 1)],
  shorts: [aff("t-shirts", 3), aff("activewear", 1), aff("socks", 1)],
  socks: [aff("shoes", 2), aff("activewear", 2)],
  accessories: [aff("t-shirts", 1), aff("jackets", 1), aff("accessories", 1)],
};

/** Chance that an extra item follows the affinity table rather than general popularity. */
const AFFINITY_SHARE = 0.85;

const BASKET_SIZES = [1, 2, 3, 4];
const BASKET_WEIGHTS = [42, 33, 17, 8];

const GRAMS: Record<string, number> = {
  Jeans: 650, Shoes: 900, "T-Shirt": 180, Jacket: 1100, Hoodie: 600, Dress: 350, Shirt: 280, Shorts: 300,
  Socks: 80, Belt: 250, Cap: 120, Bag: 800, Sweater: 500, Activewear: 250,
};

interface DiscountCode {
  code: string;
  percent: number;
}

const WELCOME: DiscountCode = { code: "WELCOME10", percent: 10 };
const SEASONAL: DiscountCode = { code: "SPRING15", percent: 15 };
const FRIENDS: DiscountCode = { code: "FRIENDS20", percent: 20 };
const VIP: DiscountCode = { code: "VIP20", percent: 20 };

const REFUND_NOTES = ["Wrong size", "Didn't fit", "Changed my mind", "Arrived damaged", "Colour not as pictured", null];

const USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
/** The shop's numeric id, as it appears in order status URLs. */
const SHOP_NUMERIC_ID = 68_431_270_113;
const GATEWAY = "shopify_payments";

// ---------------------------------------------------------------------------
// Internal model (cents, Dates); formatted into payloads at the end

interface Buyer {
  customer: SandboxCustomer | null;
  /** When the customer record was created (never after their first order here). */
  customerSince: Date | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: string;
  address: CustomerAddress;
}

interface Line {
  id: number;
  product: Product;
  variant: Variant;
  quantity: number;
  unitCents: number;
  discountCents: number;
  taxCents: number;
}

interface Order {
  id: number;
  number: number;
  at: Date;
  buyer: Buyer;
  lines: Line[];
  discount: DiscountCode | null;
  shippingCents: number;
  shippingLineId: number;
  saleTransactionId: number;
  checkoutId: number;
  token: string;
  checkoutToken: string;
  confirmationNumber: string;
  browserIp: string;
}

interface RefundLine {
  id: number;
  line: Line;
  quantity: number;
  subtotalCents: number;
  taxCents: number;
}

interface Refund {
  id: number;
  order: Order;
  at: Date;
  note: string | null;
  lines: RefundLine[];
  restockType: "return" | "cancel";
  shipping: { adjustmentId: number; cents: number } | null;
  transactionId: number;
}

// ---------------------------------------------------------------------------
// The stream

export function createOrderStream(options: OrderStreamOptions): OrderStream {
  const { catalog, customers, seed = 1, start } = options;
  const guestRate = options.guestRate ?? 0.08;
  const refundRate = options.refundRate ?? 0.06;
  const cancelRate = options.cancelRate ?? 0.02;
  const discountRate = options.discountRate ?? 0.15;

  const root = rng(seed).fork("orders");
  const timing = root.fork("timing");
  const basketRng = root.fork("baskets");
  const buyerRng = root.fork("buyers");
  const afterRng = root.fork("after-sale");
  const ids = idFactory(root.fork("ids"));

  if (!catalog.products.some(isOrderable)) throw new Error("the catalog has nothing in stock to order");
  const shelf = createShelf(catalog, root.fork("popularity"));
  const pickCustomer = customerPicker(customers, root.fork("loyalty"));
  const emailsTaken = new Set(customers.map((c) => c.email));
  const announced = new Set<number>();
  const customerSince = new Map<number, Date>();
  const ordersByCustomer = new Map<number, number>();

  let clock = start.getTime();
  let number = FIRST_ORDER_NUMBER;
  let sequence = 0;
  // Events scheduled for later (refunds, cancellations), kept sorted by time.
  const pending: { atMs: number; seq: number; event: StoreEvent }[] = [];

  const schedule = (atMs: number, event: StoreEvent) => {
    const entry = { atMs, seq: sequence++, event };
    let i = pending.length;
    while (i > 0 && (pending[i - 1].atMs > atMs || (pending[i - 1].atMs === atMs && pending[i - 1].seq > entry.seq))) i--;
    pending.splice(i, 0, entry);
  };

  const releaseUpTo = (ms: number): StoreEvent[] => {
    let n = 0;
    while (n < pending.length && pending[n].atMs <= ms) n++;
    return pending.splice(0, n).map((p) => p.event);
  };

  const next = (): StoreEvent[] => {
    clock += timing.int(5 * 60, 90 * 60) * 1000;
    const at = new Date(clock);
    const events = releaseUpTo(clock);

    const buyer = chooseBuyer(buyerRng, pickCustomer, guestRate, emailsTaken);
    const previousOrders = buyer.customer ? (ordersByCustomer.get(buyer.customer.id) ?? 0) : 0;
    if (buyer.customer) {
      ordersByCustomer.set(buyer.customer.id, previousOrders + 1);
      if (!customerSince.has(buyer.customer.id)) customerSince.set(buyer.customer.id, customerCreatedAt(buyer.customer, at));
      buyer.customerSince = customerSince.get(buyer.customer.id)!;
    }

    const discount = basketRng.chance(discountRate) ? chooseDiscount(buyer, previousOrders, basketRng) : null;
    const order = placeOrder({ id: ids.order(), number: number++, at, buyer, discount }, shelf.basket(basketRng), ids, basketRng);

    if (buyer.customer && !announced.has(buyer.customer.id)) {
      announced.add(buyer.customer.id);
      events.push({ topic: "customers/create", at: at.toISOString(), payload: customerCreatePayload(buyer, at) });
    }
    events.push({ topic: "orders/paid", at: at.toISOString(), payload: orderPayload(order), orderId: order.id });

    const fate = afterRng.next();
    if (fate < cancelRate) {
      const cancelAt = new Date(clock + afterRng.int(45 * 60, 8 * 3600) * 1000);
      const refund = fullRefund(order, cancelAt, ids);
      schedule(cancelAt.getTime(), {
        topic: "orders/cancelled",
        at: cancelAt.toISOString(),
        payload: orderPayload(order, refund),
        orderId: order.id,
      });
    } else if (fate < cancelRate + refundRate) {
      const refundAt = new Date(clock + afterRng.int(2 * 86400, 14 * 86400) * 1000);
      const refund = partialRefund(order, refundAt, ids, afterRng);
      if (refund) {
        schedule(refundAt.getTime(), {
          topic: "refunds/create",
          at: refundAt.toISOString(),
          payload: refundPayload(refund),
          orderId: order.id,
        });
      }
    }
    return events;
  };

  const take = (n: number): StoreEvent[] => {
    const events: StoreEvent[] = [];
    for (let i = 0; i < n; i++) events.push(...next());
    return events;
  };

  const flush = (): StoreEvent[] => {
    const last = pending[pending.length - 1];
    if (last) clock = Math.max(clock, last.atMs);
    return releaseUpTo(Number.POSITIVE_INFINITY);
  };

  return { next, take, flush };
}

// ---------------------------------------------------------------------------
// Ids: increasing, with gaps, like ids shared with every other shop on Shopify

type IdKind = "order" | "lineItem" | "shippingLine" | "refund" | "refundLine" | "adjustment" | "transaction" | "checkout";

const ID_BASES: Record<IdKind, number> = {
  order: ORDER_ID_BASE,
  lineItem: 14_200_000_000_000,
  shippingLine: 4_600_000_000_000,
  refund: 950_000_000_000,
  refundLine: 560_000_000_000,
  adjustment: 280_000_000_000,
  transaction: 6_500_000_000_000,
  checkout: 37_000_000_000_000,
};

type Ids = Record<IdKind, () => number>;

function idFactory(r: Rng): Ids {
  const make = (kind: IdKind) => {
    let current = ID_BASES[kind];
    return () => (current += r.int(1, 40_000));
  };
  return {
    order: make("order"),
    lineItem: make("lineItem"),
    shippingLine: make("shippingLine"),
    refund: make("refund"),
    refundLine: make("refundLine"),
    adjustment: make("adjustment"),
    transaction: make("transaction"),
    checkout: make("checkout"),
  };
}

// ---------------------------------------------------------------------------
// Choosing what is bought

interface Shelf {
  /** 1–4 distinct orderable products, each with an in-stock variant and a quantity. */
  basket(r: Rng): { product: Product; variant: Variant; quantity: number }[];
}

function createShelf(catalog: Catalog, r: Rng): Shelf {
  const orderable = catalog.products.filter(isOrderable);
  // A fixed appeal per product: some products simply sell better than others.
  const appeal = new Map<number, number>();
  for (const p of orderable) {
    const boost = (p.tags.includes("bestseller") ? 5 : 1) * (p.tags.includes("sale") ? 1.4 : 1) * (p.tags.includes("new") ? 1.3 : 1);
    appeal.set(p.id, (0.4 + r.next() * 1.6) * boost);
  }
  const byCollection = new Map<string, Product[]>();
  for (const p of orderable) {
    const handle = collectionHandleOf(p.productType) ?? "other";
    byCollection.set(handle, [...(byCollection.get(handle) ?? []), p]);
  }
  const stocked = (handles: string[]) => handles.filter((h) => (byCollection.get(h) ?? []).length > 0);
  const startCollections = stocked(Object.keys(COLLECTION_POPULARITY));

  const pickFrom = (candidates: Product[], exclude: Set<number>, rr: Rng): Product | null => {
    const open = candidates.filter((p) => !exclude.has(p.id));
    return open.length ? rr.weighted(open, (p) => appeal.get(p.id)!) : null;
  };

  const popular = (exclude: Set<number>, rr: Rng): Product | null =>
    pickFrom(byCollection.get(rr.weighted(startCollections, (h) => COLLECTION_POPULARITY[h]))!, exclude, rr);

  const candidatesFor = (a: Affinity): Product[] =>
    (byCollection.get(a.collection) ?? []).filter((p) => !a.productType || p.productType === a.productType);

  const companion = (anchor: Product, exclude: Set<number>, rr: Rng): Product | null => {
    const table = (AFFINITIES[collectionHandleOf(anchor.productType) ?? ""] ?? []).filter(
      (a) => candidatesFor(a).length > 0,
    );
    if (table.length === 0 || !rr.chance(AFFINITY_SHARE)) return popular(exclude, rr);
    return pickFrom(candidatesFor(rr.weighted(table, (a) => a.weight)), exclude, rr);
  };

  return {
    basket(rr) {
      const size = rr.weighted(BASKET_SIZES, (n) => BASKET_WEIGHTS[n - 1]);
      const chosen: Product[] = [];
      const taken = new Set<number>();
      for (let attempt = 0; chosen.length < size && attempt < size * 4; attempt++) {
        // Anchoring on any item already chosen lets outfits build up (tee → jeans → shoes).
        const product = chosen.length === 0 ? popular(taken, rr) : companion(rr.pick(chosen), taken, rr);
        if (!product) continue;
        chosen.push(product);
        taken.add(product.id);
      }
      return chosen.map((product) => {
        const variant = rr.pick(product.variants.filter((v) => v.availableForSale));
        return { product, variant, quantity: quantityFor(product, variant, rr) };
      });
    },
  };
}

/** Mostly one of each; socks come in twos and threes. Never more than is in stock. */
function quantityFor(product: Product, variant: Variant, r: Rng): number {
  const wanted = product.productType === "Socks" ? r.weighted([1, 2, 3], (q) => [5, 3, 2][q - 1]) : r.chance(0.1) ? 2 : 1;
  return Math.min(wanted, variant.inventoryQuantity);
}

// ---------------------------------------------------------------------------
// Choosing who buys

/**
 * Who places the next order. Like a real shop, about half the orders come
 * from customers shopping here for the first time (in a shuffled order) and
 * half from returning ones, chosen by a fixed, heavy-tailed (log-normal)
 * loyalty so a core of regulars places most repeat orders. With 150
 * customers, about 35% of them have ordered twice or more after 300 orders.
 */
function customerPicker(customers: SandboxCustomer[], r: Rng): () => SandboxCustomer | null {
  if (customers.length === 0) return () => null;
  const loyalty = new Map(customers.map((c) => [c.id, Math.exp(LOYALTY_SPREAD * standardNormal(r))]));
  const newcomers = r.shuffle(customers);
  const returning: SandboxCustomer[] = [];
  return () => {
    if (newcomers.length > 0 && (returning.length === 0 || r.chance(NEW_CUSTOMER_SHARE))) {
      const customer = newcomers.shift()!;
      returning.push(customer);
      return customer;
    }
    return r.weighted(returning, (c) => loyalty.get(c.id)!);
  };
}

const NEW_CUSTOMER_SHARE = 0.5;
const LOYALTY_SPREAD = 1.2;

function standardNormal(r: Rng): number {
  // Box–Muller; 1 - next() keeps the logarithm's argument away from zero.
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

function chooseBuyer(r: Rng, pickCustomer: () => SandboxCustomer | null, guestRate: number, emails: Set<string>): Buyer {
  const customer = r.chance(guestRate) ? null : pickCustomer();
  if (customer) {
    const { firstName, lastName, email, phone, locale, address } = customer;
    return { customer, customerSince: null, firstName, lastName, email, phone, locale, address };
  }
  // Guests are one-off shoppers with their own (fictional) details.
  const guest = guestIdentity(r, emails);
  return { customer: null, customerSince: null, ...guest };
}

const GUEST_FIRST = ["Alex", "Sam", "Taylor", "Morgan", "Casey", "Jamie", "Riley", "Avery", "Quinn", "Dana", "Robin", "Kai"];
const GUEST_LAST = ["Parker", "Reed", "Hayes", "Ellis", "Morgan", "Shaw", "Porter", "Grant", "Fleming", "Ortiz", "Banks"];

function guestIdentity(r: Rng, emails: Set<string>): Omit<Buyer, "customer" | "customerSince"> {
  const firstName = r.pick(GUEST_FIRST);
  const lastName = r.pick(GUEST_LAST);
  const address = buildAddress(r);
  return {
    firstName,
    lastName,
    email: uniqueEmail(firstName, lastName, r, emails),
    phone: r.chance(0.5) ? fictionalPhone(address.provinceCode, r) : null,
    locale: "en",
    address,
  };
}

function chooseDiscount(buyer: Buyer, previousOrders: number, r: Rng): DiscountCode {
  if (buyer.customer?.tags.includes("vip") && r.chance(0.6)) return VIP;
  if (previousOrders === 0 && r.chance(0.7)) return WELCOME;
  return r.chance(0.65) ? SEASONAL : FRIENDS;
}

// ---------------------------------------------------------------------------
// Money

function placeOrder(
  head: { id: number; number: number; at: Date; buyer: Buyer; discount: DiscountCode | null },
  basket: { product: Product; variant: Variant; quantity: number }[],
  ids: Ids,
  r: Rng,
): Order {
  const lines: Line[] = basket.map(({ product, variant, quantity }) => ({
    id: ids.lineItem(),
    product,
    variant,
    quantity,
    unitCents: toCents(variant.price),
    discountCents: 0,
    taxCents: 0,
  }));
  if (head.discount) allocateDiscount(lines, head.discount.percent);
  for (const line of lines) line.taxCents = percentOf(lineNet(line), TAX_RATE_PERCENT);
  const merchandise = lines.reduce((sum, l) => sum + lineNet(l), 0);
  return {
    ...head,
    lines,
    shippingCents: merchandise >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_CENTS,
    shippingLineId: ids.shippingLine(),
    saleTransactionId: ids.transaction(),
    checkoutId: ids.checkout(),
    token: hex(r, 32),
    checkoutToken: hex(r, 32),
    confirmationNumber: confirmationNumber(r),
    browserIp: `203.0.113.${r.int(1, 254)}`, // TEST-NET-3: documentation-only addresses
  };
}

/**
 * A percentage code applied across the whole order, as Shopify does: the
 * order-level amount is rounded once, shared out in proportion to each line's
 * value (rounded down), and the rounding remainder goes on the last line.
 */
function allocateDiscount(lines: Line[], percent: number): void {
  const gross = lines.map(lineGross);
  const orderGross = gross.reduce((a, b) => a + b, 0);
  const total = percentOf(orderGross, percent);
  let given = 0;
  lines.forEach((line, i) => {
    line.discountCents = i === lines.length - 1 ? total - given : Math.floor((gross[i] * total) / orderGross);
    given += line.discountCents;
  });
}

const lineGross = (l: Line): number => l.unitCents * l.quantity;
const lineNet = (l: Line): number => lineGross(l) - l.discountCents;

/** Percent of an amount in cents, rounded half up. */
const percentOf = (cents: number, percent: number): number => Math.round((cents * percent) / 100);

function toCents(amount: string): number {
  const [whole, fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}

function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

function moneySet(cents: number) {
  const m = { amount: money(cents), currency_code: SHOP.currencyCode };
  return { shop_money: m, presentment_money: { ...m } };
}

function orderTotals(order: Order) {
  const lineItems = order.lines.reduce((sum, l) => sum + lineGross(l), 0);
  const discounts = order.lines.reduce((sum, l) => sum + l.discountCents, 0);
  const tax = order.lines.reduce((sum, l) => sum + l.taxCents, 0);
  const subtotal = lineItems - discounts;
  return { lineItems, discounts, tax, subtotal, shipping: order.shippingCents, total: subtotal + order.shippingCents + tax };
}

// ---------------------------------------------------------------------------
// Refunds and cancellations

/** 1–2 lines returned, in full or in part. Final-sale and exchange-only items are not refunded. */
function partialRefund(order: Order, at: Date, ids: Ids, r: Rng): Refund | null {
  const refundable = order.lines.filter((l) => !l.product.tags.includes("final-sale") && !l.product.tags.includes("exchange-only"));
  if (refundable.length === 0) return null;
  const count = refundable.length > 1 && r.chance(0.3) ? 2 : 1;
  const lines = r
    .shuffle(refundable)
    .slice(0, count)
    .map((line) => {
      const quantity = line.quantity > 1 && r.chance(0.5) ? r.int(1, line.quantity - 1) : line.quantity;
      return refundLine(line, quantity, ids);
    });
  return { id: ids.refund(), order, at, note: r.pick(REFUND_NOTES), lines, restockType: "return", shipping: null, transactionId: ids.transaction() };
}

/** Everything back, shipping included: what cancelling a paid order does. */
function fullRefund(order: Order, at: Date, ids: Ids): Refund {
  return {
    id: ids.refund(),
    order,
    at,
    note: null,
    lines: order.lines.map((line) => refundLine(line, line.quantity, ids)),
    restockType: "cancel",
    shipping: order.shippingCents > 0 ? { adjustmentId: ids.adjustment(), cents: order.shippingCents } : null,
    transactionId: ids.transaction(),
  };
}

/** The refunded share of a line's discounted price and its tax; exact when the whole line goes back. */
function refundLine(line: Line, quantity: number, ids: Ids): RefundLine {
  const share = (cents: number) => (quantity === line.quantity ? cents : Math.round((cents * quantity) / line.quantity));
  return { id: ids.refundLine(), line, quantity, subtotalCents: share(lineNet(line)), taxCents: share(line.taxCents) };
}

function refundTotal(refund: Refund): number {
  const lines = refund.lines.reduce((sum, l) => sum + l.subtotalCents + l.taxCents, 0);
  return lines + (refund.shipping?.cents ?? 0);
}

// ---------------------------------------------------------------------------
// Time: payload timestamps are in the shop's time zone, as Shopify writes them

const SHOP_TIME_ZONE = "America/New_York";
const zoneParts = new Intl.DateTimeFormat("en-US", {
  timeZone: SHOP_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** "2026-03-14T10:22:05-04:00" */
export function shopTime(date: Date): string {
  const ms = Math.floor(date.getTime() / 1000) * 1000;
  const parts = Object.fromEntries(zoneParts.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) - ms) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------
// Payloads (Shopify REST webhook bodies)

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

function hex(r: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += "0123456789abcdef"[r.int(0, 15)];
  return out;
}

function confirmationNumber(r: Rng): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let out = "";
  for (let i = 0; i < 9; i++) out += alphabet[r.int(0, alphabet.length - 1)];
  return out;
}

function addressPayload(buyer: Buyer) {
  const a = buyer.address;
  return {
    first_name: buyer.firstName,
    address1: a.address1,
    phone: buyer.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: buyer.lastName,
    address2: null,
    company: null,
    latitude: null,
    longitude: null,
    name: `${buyer.firstName} ${buyer.lastName}`,
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

function defaultAddressPayload(c: SandboxCustomer) {
  const a = c.address;
  return {
    // Derived from the customer id so it is stable without its own counter.
    id: c.id + 2_000_000_000_000,
    customer_id: c.id,
    first_name: c.firstName,
    last_name: c.lastName,
    company: null,
    address1: a.address1,
    address2: null,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: c.phone,
    name: `${c.firstName} ${c.lastName}`,
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    default: true,
  };
}

function customerCreatedAt(c: SandboxCustomer, firstOrderAt: Date): Date {
  const created = new Date(c.createdAt);
  // A customer list dated after the stream's start still yields a customer created before their first order.
  return created < firstOrderAt ? created : new Date(firstOrderAt.getTime() - 120_000);
}

function consentPayload(c: SandboxCustomer, since: Date) {
  return {
    state: c.emailMarketingConsent.toLowerCase(),
    opt_in_level: "single_opt_in",
    consent_updated_at: c.emailMarketingConsent === "NOT_SUBSCRIBED" ? null : shopTime(since),
  };
}

/** The customer as embedded in orders and sent with customers/create. */
function customerPayload(buyer: Buyer, at: Date) {
  const c = buyer.customer!;
  const since = buyer.customerSince ?? new Date(c.createdAt);
  const created = shopTime(since);
  return {
    id: c.id,
    email: c.email,
    created_at: created,
    updated_at: shopTime(at),
    first_name: c.firstName,
    last_name: c.lastName,
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    email_marketing_consent: consentPayload(c, since),
    sms_marketing_consent: c.phone
      ? { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null, consent_collected_from: "OTHER" }
      : null,
    tags: c.tags.join(", "),
    currency: SHOP.currencyCode,
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: defaultAddressPayload(c),
  };
}

function customerCreatePayload(buyer: Buyer, at: Date) {
  const body = customerPayload(buyer, at);
  return { ...body, updated_at: body.created_at, addresses: [defaultAddressPayload(buyer.customer!)] };
}

function taxLinePayload(cents: number) {
  return { channel_liable: false, price: money(cents), price_set: moneySet(cents), rate: TAX_RATE_PERCENT / 100, title: "Sales Tax" };
}

/** A line item; `cancelled` zeroes what is left to fulfil, as after a cancellation. */
function lineItemPayload(line: Line, order: Order, cancelled: boolean) {
  const { product, variant } = line;
  return {
    id: line.id,
    admin_graphql_api_id: gid("LineItem", line.id),
    attributed_staffs: [],
    current_quantity: cancelled ? 0 : line.quantity,
    fulfillable_quantity: cancelled ? 0 : line.quantity,
    fulfillment_service: "manual",
    fulfillment_status: null,
    gift_card: false,
    grams: GRAMS[product.productType] ?? 300,
    name: `${product.title} - ${variant.title}`,
    price: money(line.unitCents),
    price_set: moneySet(line.unitCents),
    product_exists: true,
    product_id: product.id,
    properties: [],
    quantity: line.quantity,
    requires_shipping: true,
    sales_line_item_group_id: null,
    sku: variant.sku,
    taxable: true,
    title: product.title,
    // Shopify keeps total_discount for line-level discounts only; an
    // order-wide code shows up in discount_allocations instead.
    total_discount: "0.00",
    total_discount_set: moneySet(0),
    variant_id: variant.id,
    variant_inventory_management: "shopify",
    variant_title: variant.title,
    vendor: product.vendor,
    tax_lines: [taxLinePayload(line.taxCents)],
    duties: [],
    discount_allocations: order.discount
      ? [{ amount: money(line.discountCents), amount_set: moneySet(line.discountCents), discount_application_index: 0 }]
      : [],
  };
}

function shippingLinePayload(order: Order) {
  const free = order.shippingCents === 0;
  return {
    id: order.shippingLineId,
    carrier_identifier: null,
    code: free ? "Free Shipping" : "Standard",
    current_discounted_price_set: moneySet(order.shippingCents),
    discounted_price: money(order.shippingCents),
    discounted_price_set: moneySet(order.shippingCents),
    is_removed: false,
    phone: null,
    price: money(order.shippingCents),
    price_set: moneySet(order.shippingCents),
    requested_fulfillment_service_id: null,
    source: "shopify",
    title: free ? "Free Shipping" : "Standard Shipping",
    tax_lines: [],
    discount_allocations: [],
  };
}

function transactionPayload(refund: Refund) {
  const { order } = refund;
  const amount = refundTotal(refund);
  return {
    id: refund.transactionId,
    admin_graphql_api_id: gid("OrderTransaction", refund.transactionId),
    amount: money(amount),
    authorization: null,
    created_at: shopTime(refund.at),
    currency: SHOP.currencyCode,
    device_id: null,
    error_code: null,
    gateway: GATEWAY,
    kind: "refund",
    location_id: null,
    message: `Refunded ${money(amount)} USD`,
    order_id: order.id,
    parent_id: order.saleTransactionId,
    payment_id: `${order.confirmationNumber}.2`,
    processed_at: shopTime(refund.at),
    receipt: {},
    source_name: "1830279", // the Shopify admin
    status: "success",
    test: false,
    user_id: null,
  };
}

function refundLinePayload(rl: RefundLine, refund: Refund) {
  return {
    id: rl.id,
    line_item_id: rl.line.id,
    location_id: null,
    quantity: rl.quantity,
    restock_type: refund.restockType,
    subtotal: rl.subtotalCents / 100,
    subtotal_set: moneySet(rl.subtotalCents),
    total_tax: rl.taxCents / 100,
    total_tax_set: moneySet(rl.taxCents),
    line_item: lineItemPayload(rl.line, refund.order, refund.restockType === "cancel"),
  };
}

/** A refund, as refunds/create sends it and as an order's `refunds` embed it. */
function refundPayload(refund: Refund) {
  const { order, shipping } = refund;
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    created_at: shopTime(refund.at),
    note: refund.note,
    order_id: order.id,
    processed_at: shopTime(refund.at),
    restock: true,
    total_duties_set: moneySet(0),
    user_id: null,
    order_adjustments: shipping
      ? [
          {
            id: shipping.adjustmentId,
            amount: money(-shipping.cents),
            amount_set: moneySet(-shipping.cents),
            kind: "shipping_refund",
            order_id: order.id,
            reason: "Shipping refund",
            refund_id: refund.id,
            tax_amount: "0.00",
            tax_amount_set: moneySet(0),
          },
        ]
      : [],
    transactions: [transactionPayload(refund)],
    refund_line_items: refund.lines.map((rl) => refundLinePayload(rl, refund)),
    duties: [],
    refund_shipping_lines: [],
    return: null,
  };
}

/** The order as orders/paid sends it, or — given its cancellation refund — as orders/cancelled does. */
function orderPayload(order: Order, cancellation?: Refund) {
  const t = orderTotals(order);
  const cancelled = Boolean(cancellation);
  const current = (cents: number) => (cancelled ? 0 : cents);
  const { buyer } = order;
  const created = shopTime(order.at);
  const updated = cancellation ? shopTime(cancellation.at) : created;
  const discountCode = order.discount;

  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: 580111, // the Online Store channel
    browser_ip: order.browserIp,
    buyer_accepts_marketing: buyer.customer?.emailMarketingConsent === "SUBSCRIBED",
    cancel_reason: cancelled ? "customer" : null,
    cancelled_at: cancellation ? shopTime(cancellation.at) : null,
    cart_token: null,
    checkout_id: order.checkoutId,
    checkout_token: order.checkoutToken,
    client_details: {
      accept_language: buyer.locale === "en" ? "en-US" : `${buyer.locale},en-US;q=0.8`,
      browser_height: null,
      browser_ip: order.browserIp,
      browser_width: null,
      session_hash: null,
      user_agent: USER_AGENT,
    },
    closed_at: cancellation ? shopTime(cancellation.at) : null,
    confirmation_number: order.confirmationNumber,
    confirmed: true,
    contact_email: buyer.email,
    created_at: created,
    currency: SHOP.currencyCode,
    current_shipping_price_set: moneySet(current(t.shipping)),
    current_subtotal_price: money(current(t.subtotal)),
    current_subtotal_price_set: moneySet(current(t.subtotal)),
    current_total_additional_fees_set: null,
    current_total_discounts: money(current(t.discounts)),
    current_total_discounts_set: moneySet(current(t.discounts)),
    current_total_duties_set: null,
    current_total_price: money(current(t.total)),
    current_total_price_set: moneySet(current(t.total)),
    current_total_tax: money(current(t.tax)),
    current_total_tax_set: moneySet(current(t.tax)),
    customer_locale: buyer.locale,
    device_id: null,
    discount_codes: discountCode ? [{ code: discountCode.code, amount: money(t.discounts), type: "percentage" }] : [],
    duties_included: false,
    email: buyer.email,
    estimated_taxes: false,
    financial_status: cancelled ? "refunded" : "paid",
    fulfillment_status: null,
    landing_site: "/",
    landing_site_ref: null,
    location_id: null,
    merchant_of_record_app_id: null,
    name: `#${order.number}`,
    note: null,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${SHOP.domain}/${SHOP_NUMERIC_ID}/orders/${order.token}/authenticate?key=${order.checkoutToken}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [GATEWAY],
    phone: null,
    po_number: null,
    presentment_currency: SHOP.currencyCode,
    processed_at: created,
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: money(t.subtotal),
    subtotal_price_set: moneySet(t.subtotal),
    tags: "",
    tax_exempt: false,
    tax_lines: [taxLinePayload(t.tax)],
    taxes_included: false,
    test: false,
    token: order.token,
    total_cash_rounding_payment_adjustment_set: moneySet(0),
    total_cash_rounding_refund_adjustment_set: moneySet(0),
    total_discounts: money(t.discounts),
    total_discounts_set: moneySet(t.discounts),
    total_line_items_price: money(t.lineItems),
    total_line_items_price_set: moneySet(t.lineItems),
    total_outstanding: "0.00",
    total_price: money(t.total),
    total_price_set: moneySet(t.total),
    total_shipping_price_set: moneySet(t.shipping),
    total_tax: money(t.tax),
    total_tax_set: moneySet(t.tax),
    total_tip_received: "0.00",
    total_weight: order.lines.reduce((sum, l) => sum + (GRAMS[l.product.productType] ?? 300) * l.quantity, 0),
    updated_at: updated,
    user_id: null,
    billing_address: addressPayload(buyer),
    // Guests have no customer record: Shopify leaves the key out altogether.
    ...(buyer.customer ? { customer: customerPayload(buyer, order.at) } : {}),
    discount_applications: discountCode
      ? [
          {
            target_type: "line_item",
            type: "discount_code",
            value: `${discountCode.percent}.0`,
            value_type: "percentage",
            allocation_method: "across",
            target_selection: "all",
            code: discountCode.code,
          },
        ]
      : [],
    fulfillments: [],
    line_items: order.lines.map((line) => lineItemPayload(line, order, cancelled)),
    payment_terms: null,
    refunds: cancellation ? [refundPayload(cancellation)] : [],
    shipping_address: addressPayload(buyer),
    shipping_lines: [shippingLinePayload(order)],
    returns: [],
    line_item_groups: [],
  };
}
