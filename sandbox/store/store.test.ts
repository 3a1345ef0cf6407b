// The seeded store: deterministic, realistic, and — above all — producing
// webhook bodies that Encore's own validators accept and whose amounts add up.
import { describe, expect, it } from "vitest";
import { customerPayload, orderPayload, refundPayload } from "../../app/services/webhooks/payloads";
import {
  buildCatalog,
  buildCustomers,
  collectionHandleOf,
  createOrderStream,
  productImageSvg,
  rng,
  seedStore,
  type Catalog,
  type SandboxCustomer,
  type StoreEvent,
} from "./index.ts";

// Loosely typed views of the generated JSON, enough to check the arithmetic.
interface Money {
  shop_money: { amount: string; currency_code: string };
  presentment_money: { amount: string; currency_code: string };
}
interface LineJson {
  id: number;
  product_id: number;
  variant_id: number;
  quantity: number;
  price: string;
  price_set: Money;
  discount_allocations: { amount: string; amount_set: Money; discount_application_index: number }[];
  tax_lines: { price: string; rate: number }[];
}
interface RefundJson {
  id: number;
  order_id: number;
  refund_line_items: { line_item_id: number; quantity: number; subtotal: number; total_tax: number; restock_type: string; line_item: LineJson }[];
  order_adjustments: { amount: string; kind: string }[];
  transactions: { kind: string; amount: string; status: string; gateway: string }[];
}
interface OrderJson {
  id: number;
  name: string;
  order_number: number;
  email: string;
  created_at: string;
  financial_status: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  customer?: { id: number; email: string; tags: string };
  line_items: LineJson[];
  total_line_items_price: string;
  total_discounts: string;
  subtotal_price: string;
  subtotal_price_set: Money;
  total_tax: string;
  total_price: string;
  total_price_set: Money;
  total_shipping_price_set: Money;
  shipping_lines: { price: string; code: string }[];
  discount_codes: { code: string; amount: string }[];
  refunds: RefundJson[];
}

const START = new Date("2026-03-02T14:00:00Z");
const cents = (amount: string | number): number => Math.round(Number(amount) * 100);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const json = (payload: object): unknown => JSON.parse(JSON.stringify(payload));

function run(orders: number, seed = 1, extra: Partial<Parameters<typeof createOrderStream>[0]> = {}) {
  const { catalog, customers } = seedStore(seed);
  const stream = createOrderStream({ catalog, customers, seed, start: START, ...extra });
  const events = [...stream.take(orders), ...stream.flush()];
  const paid = events.filter((e) => e.topic === "orders/paid").map((e) => e.payload as OrderJson);
  const cancelled = events.filter((e) => e.topic === "orders/cancelled").map((e) => e.payload as OrderJson);
  const refunds = events.filter((e) => e.topic === "refunds/create").map((e) => e.payload as RefundJson);
  return { catalog, customers, events, paid, cancelled, refunds };
}

const standard = run(500);

describe("random", () => {
  it("is deterministic per seed and label, and its helpers stay in range", () => {
    const a = rng(42);
    const b = rng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(rng(1).fork("x").next()).toBe(rng(1).fork("x").next());
    expect(rng(1).fork("x").next()).not.toBe(rng(1).fork("y").next());
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
    expect(r.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(r.weighted(["a", "b"], (x) => (x === "a" ? 0 : 1))).toBe("b");
  });
});

describe("determinism", () => {
  it("builds the same store and the same stream from the same seed", () => {
    expect(buildCatalog(3)).toEqual(buildCatalog(3));
    expect(buildCustomers(3)).toEqual(buildCustomers(3));
    const again = run(500);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(standard.events));
  });

  it("builds a different store from a different seed", () => {
    expect(buildCatalog(2).products.map((p) => p.title)).not.toEqual(buildCatalog(1).products.map((p) => p.title));
    expect(JSON.stringify(run(20, 2).events)).not.toBe(JSON.stringify(run(20, 1).events));
  });
});

describe("catalog", () => {
  const { catalog } = standard;

  it("is an apparel store of about 300 products in 12 collections", () => {
    expect(catalog.shop).toEqual({
      name: "Northwind Outfitters",
      domain: "encore-demo.myshopify.com",
      email: expect.stringContaining("@"),
      currencyCode: "USD",
    });
    expect(catalog.products.length).toBeGreaterThanOrEqual(270);
    expect(catalog.products.length).toBeLessThanOrEqual(330);
    expect(catalog.collections.map((c) => c.title)).toEqual(
      expect.arrayContaining(["Jeans", "Shoes", "T-shirts", "Jackets", "Dresses", "Shirts", "Shorts", "Socks", "Accessories", "Sweaters", "Activewear"]),
    );
    expect(catalog.collections).toHaveLength(12);
    for (const collection of catalog.collections) {
      expect(catalog.products.filter((p) => p.collectionIds.includes(collection.id)).length).toBeGreaterThan(10);
    }
    const accessoryTypes = new Set(catalog.products.filter((p) => collectionHandleOf(p.productType) === "accessories").map((p) => p.productType));
    expect([...accessoryTypes].sort()).toEqual(["Bag", "Belt", "Cap"]);
  });

  it("has Shopify-sized ids that are unique and below 2^53", () => {
    const products = catalog.products.map((p) => p.id);
    const variants = catalog.products.flatMap((p) => p.variants.map((v) => v.id));
    const collections = catalog.collections.map((c) => c.id);
    for (const [ids, from] of [[products, 8e12], [variants, 45e12], [collections, 4e11]] as const) {
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) {
        expect(Number.isSafeInteger(id)).toBe(true);
        expect(id).toBeGreaterThanOrEqual(from);
      }
    }
    expect(new Set(catalog.products.map((p) => p.handle)).size).toBe(catalog.products.length);
    expect(new Set(catalog.products.flatMap((p) => p.variants.map((v) => v.sku))).size).toBe(variants.length);
  });

  it("prices, sizes and stock look like a real shop's", () => {
    const ranges: Record<string, [number, number]> = { Socks: [8, 18], Jeans: [59, 129], Jacket: [89, 249], "T-Shirt": [19, 45] };
    for (const product of catalog.products) {
      expect(product.variants.length).toBeGreaterThanOrEqual(1);
      expect(product.variants.length).toBeLessThanOrEqual(6);
      expect(product.title).toMatch(/^\S.+ – [A-Z]/);
      for (const variant of product.variants) {
        expect(variant.price).toMatch(/^\d+\.\d{2}$/);
        const range = ranges[product.productType];
        if (range) {
          expect(Number(variant.price)).toBeGreaterThanOrEqual(range[0]);
          expect(Number(variant.price)).toBeLessThanOrEqual(range[1]);
        }
        expect(variant.availableForSale).toBe(variant.inventoryQuantity > 0);
      }
    }
    const variants = catalog.products.flatMap((p) => p.variants);
    const outOfStock = variants.filter((v) => !v.availableForSale).length / variants.length;
    expect(outOfStock).toBeGreaterThan(0.02);
    expect(outOfStock).toBeLessThan(0.09);
    const notLive = catalog.products.filter((p) => p.status !== "ACTIVE" || !p.publishedOnlineStore);
    expect(notLive.length / catalog.products.length).toBeGreaterThan(0.015);
    expect(notLive.length / catalog.products.length).toBeLessThan(0.05);
    expect(notLive.every((p) => !p.publishedOnlineStore)).toBe(true);
    const tagged = (tag: string) => catalog.products.filter((p) => p.tags.includes(tag)).length;
    for (const tag of ["new", "bestseller", "sale", "organic", "final-sale", "exchange-only"]) expect(tagged(tag)).toBeGreaterThan(0);
    expect(tagged("final-sale") / catalog.products.length).toBeLessThan(0.07);
  });

  it("has placeholder images the sandbox can serve", () => {
    for (const product of catalog.products) {
      expect(product.image.url).toBe(`/sandbox-images/products/${product.id}.svg`);
      expect(product.image.altText).toBe(product.title);
      const svg = productImageSvg(product);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg.endsWith("</svg>")).toBe(true);
      expect(Buffer.byteLength(svg)).toBeLessThan(2048);
    }
    const withAmpersand = { ...catalog.products[0], title: `Tom & Jerry <Tee> – "Red"` };
    expect(productImageSvg(withAmpersand)).not.toMatch(/& |<Tee>/);
  });
});

describe("customers", () => {
  const customers = buildCustomers(1);

  it("are 150 distinct people with example.com emails and US addresses", () => {
    expect(customers).toHaveLength(150);
    expect(new Set(customers.map((c) => c.email)).size).toBe(150);
    expect(new Set(customers.map((c) => c.id)).size).toBe(150);
    for (const c of customers) {
      expect(c.email).toMatch(/^[a-z0-9._]+@example\.com$/);
      expect(c.id).toBeGreaterThanOrEqual(7e12);
      expect(Number.isSafeInteger(c.id)).toBe(true);
      expect(c.address).toMatchObject({ country: "United States", countryCode: "US" });
      expect(c.address.zip).toMatch(/^\d{5}$/);
      expect(Number.isNaN(Date.parse(c.createdAt))).toBe(false);
    }
    expect(buildCustomers(1, 20)).toHaveLength(20);
  });

  it("mostly speak English and about 60% are subscribed to email", () => {
    const share = (f: (c: SandboxCustomer) => boolean) => customers.filter(f).length / customers.length;
    expect(share((c) => c.locale === "en")).toBeGreaterThan(0.7);
    expect(share((c) => c.locale !== "en")).toBeGreaterThan(0);
    expect(share((c) => c.emailMarketingConsent === "SUBSCRIBED")).toBeGreaterThan(0.48);
    expect(share((c) => c.emailMarketingConsent === "SUBSCRIBED")).toBeLessThan(0.72);
    expect(share((c) => c.tags.includes("vip"))).toBeGreaterThan(0);
  });
});

describe("order stream", () => {
  const { paid, cancelled, refunds, events, catalog } = standard;
  const paidById = new Map(paid.map((o) => [o.id, o]));

  it("passes every payload through Encore's own validators", () => {
    for (const event of events) {
      const body = json(event.payload);
      const schema = event.topic === "customers/create" ? customerPayload : event.topic === "refunds/create" ? refundPayload : orderPayload;
      const result = schema.safeParse(body);
      if (!result.success) throw new Error(`${event.topic}: ${result.error.message}`);
    }
    expect(new Set(events.map((e) => e.topic))).toEqual(new Set(["customers/create", "orders/paid", "refunds/create", "orders/cancelled"]));
  });

  it("numbers orders from #1001 with increasing ids, a few minutes apart", () => {
    expect(paid).toHaveLength(500);
    paid.forEach((order, i) => {
      expect(order.name).toBe(`#${1001 + i}`);
      expect(order.order_number).toBe(1001 + i);
      expect(Number.isSafeInteger(order.id)).toBe(true);
      if (i > 0) {
        expect(order.id).toBeGreaterThan(paid[i - 1].id);
        const minutes = (Date.parse(order.created_at) - Date.parse(paid[i - 1].created_at)) / 60_000;
        expect(minutes).toBeGreaterThanOrEqual(5);
        expect(minutes).toBeLessThanOrEqual(90);
      }
    });
    expect(paid[0].id).toBeGreaterThan(5.5e12);
    const lineIds = paid.flatMap((o) => o.line_items.map((l) => l.id));
    expect(new Set(lineIds).size).toBe(lineIds.length);
  });

  it("has amounts that add up in every order", () => {
    for (const order of [...paid, ...cancelled]) {
      const lines = order.line_items;
      const gross = sum(lines.map((l) => cents(l.price) * l.quantity));
      const discounts = sum(lines.flatMap((l) => l.discount_allocations.map((d) => cents(d.amount))));
      const tax = sum(lines.flatMap((l) => l.tax_lines.map((t) => cents(t.price))));
      const shipping = cents(order.total_shipping_price_set.shop_money.amount);
      expect(cents(order.total_line_items_price)).toBe(gross);
      expect(cents(order.total_discounts)).toBe(discounts);
      expect(cents(order.subtotal_price)).toBe(gross - discounts);
      expect(cents(order.total_tax)).toBe(tax);
      expect(cents(order.total_price)).toBe(gross - discounts + shipping + tax);
      expect(order.total_price_set.shop_money.amount).toBe(order.total_price);
      expect(order.subtotal_price_set.presentment_money.amount).toBe(order.subtotal_price);
      expect(sum(order.shipping_lines.map((s) => cents(s.price)))).toBe(shipping);
      expect(shipping).toBe(gross - discounts >= 7500 ? 0 : 695);
      for (const line of lines) {
        const net = cents(line.price) * line.quantity - sum(line.discount_allocations.map((d) => cents(d.amount)));
        expect(cents(line.tax_lines[0].price)).toBe(Math.round(net * 0.07));
        expect(line.price_set.shop_money.amount).toBe(line.price);
      }
      for (const amount of [order.total_price, order.subtotal_price, order.total_tax, ...lines.map((l) => l.price)]) {
        expect(amount).toMatch(/^\d+\.\d{2}$/);
      }
    }
  });

  it("applies discount codes to about 15% of orders, shared out across the lines", () => {
    const discounted = paid.filter((o) => o.discount_codes.length > 0);
    expect(discounted.length / paid.length).toBeGreaterThan(0.09);
    expect(discounted.length / paid.length).toBeLessThan(0.22);
    for (const order of discounted) {
      const percent = Number(order.discount_codes[0].code.replace(/\D/g, ""));
      const gross = cents(order.total_line_items_price);
      const total = Math.round((gross * percent) / 100);
      expect(cents(order.total_discounts)).toBe(total);
      expect(cents(order.discount_codes[0].amount)).toBe(total);
      // Proportional, rounded down; the remainder sits on the last line.
      order.line_items.slice(0, -1).forEach((line) => {
        expect(cents(line.discount_allocations[0].amount)).toBe(Math.floor((cents(line.price) * line.quantity * total) / gross));
      });
    }
    expect(paid.filter((o) => o.discount_codes.length === 0).every((o) => o.line_items.every((l) => l.discount_allocations.length === 0))).toBe(true);
  });

  it("refunds real line items of their order, never more than was bought", () => {
    expect(refunds.length).toBeGreaterThan(10);
    for (const refund of refunds) {
      const order = paidById.get(refund.order_id)!;
      expect(order).toBeDefined();
      expect(refund.refund_line_items.length).toBeGreaterThanOrEqual(1);
      expect(refund.refund_line_items.length).toBeLessThanOrEqual(2);
      for (const item of refund.refund_line_items) {
        const line = order.line_items.find((l) => l.id === item.line_item_id)!;
        expect(line).toBeDefined();
        expect(item.quantity).toBeGreaterThanOrEqual(1);
        expect(item.quantity).toBeLessThanOrEqual(line.quantity);
        expect(item.restock_type).toBe("return");
        expect(item.line_item.id).toBe(line.id);
        if (item.quantity === line.quantity) {
          const discount = sum(line.discount_allocations.map((d) => cents(d.amount)));
          expect(cents(item.subtotal)).toBe(cents(line.price) * line.quantity - discount);
          expect(cents(item.total_tax)).toBe(cents(line.tax_lines[0].price));
        }
      }
      const refunded = sum(refund.refund_line_items.map((i) => cents(i.subtotal) + cents(i.total_tax)));
      expect(refund.transactions).toHaveLength(1);
      expect(refund.transactions[0]).toMatchObject({ kind: "refund", status: "success", gateway: "shopify_payments" });
      expect(cents(refund.transactions[0].amount)).toBe(refunded);
    }
  });

  it("cancels a few orders hours later with one full refund", () => {
    expect(cancelled.length).toBeGreaterThan(2);
    for (const order of cancelled) {
      const original = paidById.get(order.id)!;
      expect(order.financial_status).toBe("refunded");
      expect(order.cancel_reason).toBe("customer");
      const hours = (Date.parse(order.cancelled_at!) - Date.parse(original.created_at)) / 3_600_000;
      expect(hours).toBeGreaterThan(0);
      expect(hours).toBeLessThanOrEqual(8);
      expect(order.total_price).toBe(original.total_price);
      expect(order.refunds).toHaveLength(1);
      const [refund] = order.refunds;
      expect(refund.refund_line_items.map((i) => [i.line_item_id, i.quantity])).toEqual(original.line_items.map((l) => [l.id, l.quantity]));
      const shipping = -sum(refund.order_adjustments.filter((a) => a.kind === "shipping_refund").map((a) => cents(a.amount)));
      const lines = sum(refund.refund_line_items.map((i) => cents(i.subtotal) + cents(i.total_tax)));
      expect(lines + shipping).toBe(cents(original.total_price));
      expect(cents(refund.transactions[0].amount)).toBe(cents(original.total_price));
    }
    const refundedOrders = new Set(refunds.map((r) => r.order_id));
    expect(cancelled.some((o) => refundedOrders.has(o.id))).toBe(false);
  });

  it("emits events in time order, with refunds and cancellations interleaved after their order", () => {
    const times = events.map((e) => Date.parse(e.at));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    const position = new Map(events.map((e, i) => [e.topic === "orders/paid" ? e.orderId : -1, i]));
    let interleaved = 0;
    events.forEach((event, i) => {
      if (event.topic === "refunds/create" || event.topic === "orders/cancelled") {
        expect(position.get(event.orderId)!).toBeLessThan(i);
        if (events.slice(i + 1).some((e) => e.topic === "orders/paid")) interleaved++;
      }
    });
    expect(interleaved).toBeGreaterThan(5);
    for (const event of events) expect(event.at).toBe(new Date(event.at).toISOString());
  });

  it("keeps time moving forward across next(), flush() and later orders", () => {
    const { catalog: c, customers } = seedStore(1);
    const stream = createOrderStream({ catalog: c, customers, start: START, refundRate: 0.3, cancelRate: 0.2 });
    const events: StoreEvent[] = [];
    for (let i = 0; i < 40; i++) events.push(...stream.next());
    events.push(...stream.flush());
    expect(stream.flush()).toEqual([]);
    events.push(...stream.take(10));
    const times = events.map((e) => Date.parse(e.at));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  });

  it("sells only live products and in-stock variants, at catalog prices", () => {
    const products = new Map(catalog.products.map((p) => [p.id, p]));
    for (const order of paid) {
      expect(order.line_items.length).toBeGreaterThanOrEqual(1);
      expect(order.line_items.length).toBeLessThanOrEqual(4);
      expect(new Set(order.line_items.map((l) => l.product_id)).size).toBe(order.line_items.length);
      for (const line of order.line_items) {
        const product = products.get(line.product_id)!;
        const variant = product.variants.find((v) => v.id === line.variant_id)!;
        expect(product.status).toBe("ACTIVE");
        expect(product.publishedOnlineStore).toBe(true);
        expect(variant.availableForSale).toBe(true);
        expect(line.price).toBe(variant.price);
        expect(line.quantity).toBeLessThanOrEqual(variant.inventoryQuantity);
      }
    }
  });

  it("makes jeans buyers measurably more likely to buy shoes", () => {
    const typeOf = new Map(catalog.products.map((p) => [p.id, p.productType]));
    const has = (o: OrderJson, type: string) => o.line_items.some((l) => typeOf.get(l.product_id) === type);
    const rate = (orders: OrderJson[]) => orders.filter((o) => has(o, "Shoes")).length / orders.length;
    const withJeans = paid.filter((o) => has(o, "Jeans"));
    const withoutJeans = paid.filter((o) => !has(o, "Jeans"));
    expect(withJeans.length).toBeGreaterThan(40);
    expect(rate(withJeans)).toBeGreaterThan(1.5 * rate(withoutJeans));
  });

  it("brings about a third of customers back within a few hundred orders", () => {
    const { paid: orders } = run(300);
    const counts = new Map<number, number>();
    for (const o of orders) if (o.customer) counts.set(o.customer.id, (counts.get(o.customer.id) ?? 0) + 1);
    const repeat = [...counts.values()].filter((n) => n >= 2).length;
    expect(repeat / counts.size).toBeGreaterThan(0.25);
    expect(repeat / counts.size).toBeLessThan(0.5);
    expect(repeat / 150).toBeGreaterThan(0.25);
    expect(repeat / 150).toBeLessThan(0.5);
  });

  it("leaves the customer key out of guest orders but keeps their email", () => {
    const guests = paid.filter((o) => !("customer" in o));
    expect(guests.length / paid.length).toBeGreaterThan(0.03);
    expect(guests.length / paid.length).toBeLessThan(0.14);
    for (const order of guests) expect(order.email).toMatch(/@example\.com$/);
    const customerEmails = new Set(standard.customers.map((c) => c.email));
    expect(guests.some((o) => customerEmails.has(o.email))).toBe(false);
    const members = paid.filter((o) => o.customer);
    for (const order of members) expect(order.email).toBe(order.customer!.email);
    expect(run(30, 1, { guestRate: 1 }).paid.every((o) => !("customer" in o))).toBe(true);
  });

  it("announces each customer once, with their first order", () => {
    const announced = events.filter((e) => e.topic === "customers/create");
    const ids = announced.map((e) => (e.payload as { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    const buyers = new Set(paid.filter((o) => o.customer).map((o) => o.customer!.id));
    expect(new Set(ids)).toEqual(buyers);
    for (const event of announced) {
      const id = (event.payload as { id: number }).id;
      const first = events.find((e) => e.topic === "orders/paid" && (e.payload as OrderJson).customer?.id === id)!;
      expect(events.indexOf(event)).toBeLessThan(events.indexOf(first));
      expect(event.at).toBe(first.at);
    }
  });

  it("writes payload timestamps in the shop's time zone", () => {
    expect(paid[0].created_at).toMatch(/^2026-03-02T\d{2}:\d{2}:\d{2}-05:00$/);
    const summer = run(1, 1, { start: new Date("2026-07-01T15:00:00Z") }).paid[0];
    expect(summer.created_at).toMatch(/-04:00$/);
  });
});

describe("seedStore", () => {
  it("returns the catalog and customers for a seed", () => {
    const store = seedStore();
    expect(store.catalog).toEqual(buildCatalog(1));
    expect(store.customers).toEqual(buildCustomers(1));
    const catalog: Catalog = store.catalog;
    expect(catalog.products.length).toBeGreaterThan(0);
  });
});
