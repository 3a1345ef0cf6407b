// The sandbox store's state: the seeded catalog and customers, plus every
// order the sandbox has sent to the app (so order history can be queried the
// way Encore imports it from a real store).
import { connection } from "./admin-api.ts";
import type { Catalog, Product, SandboxCustomer, Variant } from "./store/index.ts";

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
const legacy = (id: string) => id.slice(id.lastIndexOf("/") + 1);
const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });
const bag = (amount: string, currencyCode: string) => ({ shopMoney: money(amount, currencyCode), presentmentMoney: money(amount, currencyCode) });

/** Shopify's search syntax, the part Encore uses: `field:value` terms and free text. */
function matches(query: string | null | undefined, fields: Record<string, string | string[] | number | undefined>): boolean {
  if (!query) return true;
  return query
    .split(/\s+(?:AND\s+)?/i)
    .filter(Boolean)
    .every((term) => {
      const [key, raw] = term.includes(":") ? term.split(/:(.*)/) : ["", term];
      const value = raw.replace(/^['"]|['"]$/g, "").toLowerCase();
      const candidates = key ? [fields[key]] : Object.values(fields);
      return candidates.some((c) =>
        Array.isArray(c) ? c.some((x) => x.toLowerCase() === value) : String(c ?? "").toLowerCase().includes(value),
      );
    });
}

export class SandboxStore {
  readonly catalog: Catalog;
  readonly customers: SandboxCustomer[];
  readonly orders: any[] = [];
  /** Absolute origin for product images (the sandbox serves them). */
  imageBase = "";
  private readonly productsById = new Map<number, Product>();
  private readonly variantsById = new Map<number, { variant: Variant; product: Product }>();

  constructor(catalog: Catalog, customers: SandboxCustomer[]) {
    this.catalog = catalog;
    this.customers = customers;
    for (const product of catalog.products) {
      this.productsById.set(product.id, product);
      for (const variant of product.variants) this.variantsById.set(variant.id, { variant, product });
    }
  }

  get shop() {
    return this.catalog.shop;
  }

  /** Refunds delivered (refunds/create), by order id: what can no longer be returned. */
  readonly refunds = new Map<string, any[]>();
  /** Returns created through returnCreate. */
  readonly returns: { id: string; name: string; orderId: string; createdAt: string; lines: { fulfillmentLineItemId: string; quantity: number }[]; exchangeLines: { variantId: string; quantity: number }[] }[] = [];
  /** Clock for fulfillment status (tests move it). */
  now = () => new Date();

  recordRefund(payload: any) {
    const key = String(payload.order_id);
    const list = (this.refunds.get(key) ?? []).filter((r) => String(r.id) !== String(payload.id));
    this.refunds.set(key, [...list, payload]);
  }

  /**
   * The sandbox's warehouse ships every order that is not cancelled two days
   * after it was placed (one fulfillment with all its physical lines) and it
   * is delivered two days later.
   */
  fulfillmentOf(o: any) {
    if (o.cancelled_at) return null;
    const placed = new Date(o.created_at).getTime();
    const shipped = placed + 2 * 86_400_000;
    const delivered = shipped + 2 * 86_400_000;
    const now = this.now().getTime();
    if (now < shipped) return null;
    return {
      id: gid("Fulfillment", o.id),
      name: `${o.name}-F1`,
      status: "SUCCESS",
      createdAt: new Date(shipped).toISOString(),
      deliveredAt: now >= delivered ? new Date(delivered).toISOString() : null,
      lines: (o.line_items as any[]).filter((l) => !l.gift_card),
    };
  }

  /** Quantity of a line still returnable: fulfilled, less refunded and already returned. */
  private returnableQuantity(o: any, line: any) {
    const refunded = [...(o.refunds ?? []), ...(this.refunds.get(String(o.id)) ?? [])]
      .filter((r, i, all) => all.findIndex((x) => String(x.id) === String(r.id)) === i)
      .flatMap((r) => r.refund_line_items ?? [])
      .filter((rl: any) => String(rl.line_item_id) === String(line.id))
      .reduce((sum: number, rl: any) => sum + Number(rl.quantity), 0);
    const returned = this.returns
      .flatMap((r) => r.lines)
      .filter((rl) => rl.fulfillmentLineItemId === gid("FulfillmentLineItem", line.id))
      .reduce((sum, rl) => sum + rl.quantity, 0);
    return Math.max(0, line.quantity - refunded - returned);
  }

  private lineItemView(o: any, l: any) {
    const found = this.variantsById.get(Number(l.variant_id));
    const discount = (l.discount_allocations ?? []).reduce((s: number, d: any) => s + Number(d.amount), 0);
    return {
      id: gid("LineItem", l.id),
      name: l.name,
      title: l.title ?? l.name,
      vendor: l.vendor ?? found?.product.vendor ?? null,
      quantity: l.quantity,
      product: found ? this.productView(found.product) : null,
      variant: found ? this.variantView(found.variant, found.product) : null,
      originalUnitPriceSet: bag(l.price, o.currency),
      discountedTotalSet: bag((Number(l.price) * l.quantity - discount).toFixed(2), o.currency),
    };
  }

  private fulfillmentView(o: any, f: NonNullable<ReturnType<SandboxStore["fulfillmentOf"]>>) {
    return {
      id: f.id,
      name: f.name,
      status: f.status,
      createdAt: f.createdAt,
      deliveredAt: f.deliveredAt,
      fulfillmentLineItems: () => ({
        nodes: f.lines.map((l) => ({ id: gid("FulfillmentLineItem", l.id), quantity: l.quantity, lineItem: this.lineItemView(o, l) })),
      }),
    };
  }

  /** Shopify's returnCreate: validates against what is returnable, then opens the return. */
  returnCreate(input: any) {
    const userErrors: { field: string[]; message: string; code: string }[] = [];
    const o = this.orders.find((x) => gid("Order", x.id) === input.orderId);
    if (!o) return { return: null, userErrors: [{ field: ["returnInput", "orderId"], message: "Order does not exist.", code: "NOT_FOUND" }] };
    const f = this.fulfillmentOf(o);
    if (!input.returnLineItems?.length) userErrors.push({ field: ["returnInput", "returnLineItems"], message: "Return must have at least one line item.", code: "BLANK" });
    (input.returnLineItems ?? []).forEach((rli: any, i: number) => {
      const line = f?.lines.find((l) => gid("FulfillmentLineItem", l.id) === rli.fulfillmentLineItemId);
      if (!line) {
        userErrors.push({ field: ["returnInput", "returnLineItems", String(i), "fulfillmentLineItemId"], message: "Fulfillment line item does not exist.", code: "NOT_FOUND" });
      } else if (!(rli.quantity > 0) || rli.quantity > this.returnableQuantity(o, line)) {
        userErrors.push({ field: ["returnInput", "returnLineItems", String(i), "quantity"], message: "Quantity is not available for return.", code: "INVALID" });
      }
      if ((rli.returnReasonNote ?? "").length > 255) {
        userErrors.push({ field: ["returnInput", "returnLineItems", String(i), "returnReasonNote"], message: "Return reason note is too long (maximum is 255 characters).", code: "TOO_LONG" });
      }
    });
    (input.exchangeLineItems ?? []).forEach((eli: any, i: number) => {
      const found = this.variantsById.get(Number(legacy(String(eli.variantId ?? ""))));
      if (!found) userErrors.push({ field: ["returnInput", "exchangeLineItems", String(i), "variantId"], message: "Variant does not exist.", code: "NOT_FOUND" });
      else if (!found.variant.availableForSale) userErrors.push({ field: ["returnInput", "exchangeLineItems", String(i), "variantId"], message: "Variant is not available for sale.", code: "INVALID" });
    });
    if (userErrors.length) return { return: null, userErrors };
    const record = {
      id: gid("Return", 9_100_000 + this.returns.length + 1),
      name: `${o.name}-R${this.returns.filter((r) => r.orderId === input.orderId).length + 1}`,
      orderId: input.orderId,
      createdAt: this.now().toISOString(),
      lines: input.returnLineItems.map((r: any) => ({ fulfillmentLineItemId: r.fulfillmentLineItemId, quantity: r.quantity })),
      exchangeLines: (input.exchangeLineItems ?? []).map((e: any) => ({ variantId: e.variantId, quantity: e.quantity })),
    };
    this.returns.push(record);
    return { return: this.returnView(record), userErrors: [] };
  }

  returnView = (r: SandboxStore["returns"][number]) => ({
    id: r.id,
    name: r.name,
    status: "OPEN",
    totalQuantity: r.lines.reduce((s, l) => s + l.quantity, 0),
    order: () => {
      const o = this.orders.find((x) => gid("Order", x.id) === r.orderId);
      return o ? this.orderView(o) : null;
    },
  });

  /** Records an order payload the sandbox delivered (orders/paid or orders/cancelled). */
  recordOrder(payload: any) {
    const existing = this.orders.findIndex((o) => String(o.id) === String(payload.id));
    if (existing >= 0) this.orders[existing] = payload;
    else this.orders.push(payload);
  }

  product(id: number) {
    return this.productsById.get(id);
  }

  productView = (p: Product) => {
    const currency = this.shop.currencyCode;
    const prices = p.variants.map((v) => Number(v.price));
    const collections = this.catalog.collections.filter((c) => p.collectionIds.includes(c.id)).map(this.collectionView);
    return {
      id: gid("Product", p.id),
      legacyResourceId: String(p.id),
      handle: p.handle,
      title: p.title,
      vendor: p.vendor,
      productType: p.productType,
      tags: p.tags,
      status: p.status,
      onlineStoreUrl: p.publishedOnlineStore && p.status === "ACTIVE" ? `https://${this.shop.domain}/products/${p.handle}` : null,
      featuredImage: { url: `${this.imageBase}${p.image.url}`, altText: p.image.altText },
      totalInventory: p.variants.reduce((s, v) => s + v.inventoryQuantity, 0),
      priceRangeV2: {
        minVariantPrice: money(Math.min(...prices).toFixed(2), currency),
        maxVariantPrice: money(Math.max(...prices).toFixed(2), currency),
      },
      variants: ({ first }: { first?: number }) => ({ nodes: p.variants.slice(0, first ?? 250).map((v) => this.variantView(v, p)) }),
      collections: (args: { first?: number }) => connection(collections, args),
    };
  };

  variantView = (v: Variant, p: Product): any => ({
    id: gid("ProductVariant", v.id),
    legacyResourceId: String(v.id),
    title: v.title,
    sku: v.sku,
    price: v.price,
    inventoryQuantity: v.inventoryQuantity,
    availableForSale: v.availableForSale,
    product: () => this.productView(p),
  });

  collectionView = (c: Catalog["collections"][number]) => ({
    id: gid("Collection", c.id),
    legacyResourceId: String(c.id),
    handle: c.handle,
    title: c.title,
  });

  customerView = (c: SandboxCustomer) => ({
    id: gid("Customer", c.id),
    legacyResourceId: String(c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    locale: c.locale,
    tags: c.tags,
    numberOfOrders: String(this.orders.filter((o) => String(o.customer?.id) === String(c.id)).length),
  });

  orderView = (o: any) => {
    const currency = o.currency;
    const customer = o.customer ? this.customers.find((c) => String(c.id) === String(o.customer.id)) : undefined;
    return {
      id: gid("Order", o.id),
      legacyResourceId: String(o.id),
      name: o.name,
      createdAt: o.created_at,
      processedAt: o.processed_at ?? o.created_at,
      cancelledAt: o.cancelled_at,
      displayFinancialStatus: String(o.financial_status ?? "").toUpperCase(),
      currencyCode: currency,
      customer: customer ? this.customerView(customer) : null,
      subtotalPriceSet: bag(o.subtotal_price, currency),
      currentSubtotalPriceSet: bag(o.current_subtotal_price ?? o.subtotal_price, currency),
      email: o.email ?? o.customer?.email ?? null,
      lineItems: ({ first }: { first?: number }) => ({
        nodes: (o.line_items as any[]).slice(0, first ?? 250).map((l) => this.lineItemView(o, l)),
      }),
      fulfillments: () => {
        const f = this.fulfillmentOf(o);
        return f ? [this.fulfillmentView(o, f)] : [];
      },
      returnableFulfillments: (args: { first?: number; after?: string }) => {
        const f = this.fulfillmentOf(o);
        const lines = f ? f.lines.map((l) => ({ line: l, quantity: this.returnableQuantity(o, l) })).filter((x) => x.quantity > 0) : [];
        const nodes = f && lines.length
          ? [
              {
                id: gid("ReturnableFulfillment", o.id),
                fulfillment: this.fulfillmentView(o, f),
                returnableFulfillmentLineItems: (a: { first?: number; after?: string }) =>
                  connection(
                    lines.map((x) => ({ quantity: x.quantity, fulfillmentLineItem: { id: gid("FulfillmentLineItem", x.line.id), quantity: x.line.quantity, lineItem: this.lineItemView(o, x.line) } })),
                    a,
                  ),
              },
            ]
          : [];
        return connection(nodes, args);
      },
      returns: () => ({ nodes: this.returns.filter((r) => r.orderId === gid("Order", o.id)).map(this.returnView) }),
    };
  };

  graphqlRoot() {
    const s = this.shop;
    const productMatches = (p: Product, query?: string | null) =>
      matches(query, { title: p.title, tag: p.tags, product_type: p.productType, vendor: p.vendor, status: p.status.toLowerCase(), id: String(p.id) });
    return {
      shop: () => ({ id: gid("Shop", 1), name: s.name, email: s.email, myshopifyDomain: s.domain, currencyCode: s.currencyCode }),
      products: (args: { first?: number; after?: string; query?: string }) =>
        connection(this.catalog.products.filter((p) => productMatches(p, args.query)).map(this.productView), args),
      product: ({ id }: { id: string }) => {
        const p = this.productsById.get(Number(legacy(id)));
        return p ? this.productView(p) : null;
      },
      collections: (args: { first?: number; after?: string }) => connection(this.catalog.collections.map(this.collectionView), args),
      customers: (args: { first?: number; after?: string; query?: string }) =>
        connection(
          this.customers.filter((c) => matches(args.query, { email: c.email, first_name: c.firstName, last_name: c.lastName })).map(this.customerView),
          args,
        ),
      customer: ({ id }: { id: string }) => {
        const c = this.customers.find((x) => String(x.id) === legacy(id));
        return c ? this.customerView(c) : null;
      },
      orders: (args: { first?: number; after?: string; query?: string; reverse?: boolean }) => {
        const list = [...this.orders].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
        if (args.reverse) list.reverse();
        return connection(list.map(this.orderView), args);
      },
      order: ({ id }: { id: string }) => {
        const o = this.orders.find((x) => String(x.id) === legacy(id));
        return o ? this.orderView(o) : null;
      },
      // Products only (what Encore asks for); anything else is null, as Shopify answers unknown ids.
      nodes: ({ ids }: { ids: string[] }) =>
        ids.map((id) => {
          const p = /^gid:\/\/shopify\/Product\/\d+$/.test(id) ? this.productsById.get(Number(legacy(id))) : undefined;
          return p ? { __typename: "Product", ...this.productView(p) } : null;
        }),
      returnCreate: ({ returnInput }: { returnInput: any }) => this.returnCreate(returnInput),
    };
  }
}
