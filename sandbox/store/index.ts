/**
 * The sandbox's seeded store: a deterministic apparel shop (catalog and
 * customers) and the stream of webhooks its trading produces. Pure data, no
 * I/O: the sandbox server answers Admin GraphQL from `seedStore()` and
 * delivers `createOrderStream()`'s events as signed webhooks.
 */
import { buildCatalog } from "./catalog.ts";
import type { Catalog } from "./catalog.ts";
import { buildCustomers } from "./customers.ts";
import type { SandboxCustomer } from "./customers.ts";

export { rng, hashString } from "./random.ts";
export type { Rng } from "./random.ts";
export {
  buildCatalog,
  productImageSvg,
  isOrderable,
  collectionHandleOf,
  slugify,
  SHOP,
  PRODUCT_ID_BASE,
  VARIANT_ID_BASE,
  COLLECTION_ID_BASE,
} from "./catalog.ts";
export type { Catalog, Collection, Product, ShopInfo, Variant } from "./catalog.ts";
export { buildCustomers, CUSTOMER_ID_BASE } from "./customers.ts";
export type { CustomerAddress, EmailConsent, Locale, SandboxCustomer } from "./customers.ts";
export {
  createOrderStream,
  shopTime,
  ORDER_ID_BASE,
  FIRST_ORDER_NUMBER,
  TAX_RATE_PERCENT,
  FREE_SHIPPING_FROM_CENTS,
  SHIPPING_CENTS,
} from "./orders.ts";
export type { OrderStream, OrderStreamOptions, StoreEvent } from "./orders.ts";

export interface SeededStore {
  catalog: Catalog;
  customers: SandboxCustomer[];
}

/** The demo store: same seed, same shop, every time. */
export function seedStore(seed = 1): SeededStore {
  return { catalog: buildCatalog(seed), customers: buildCustomers(seed) };
}
