/**
 * The seeded store's catalog: "Northwind Outfitters", a mid-sized US apparel
 * shop with about 300 products in 12 collections.
 *
 * Products are assembled from per-collection vocabularies (fits, materials,
 * product nouns, colours) so titles read like a real storefront ("Slim Fit
 * Stretch Jeans – Indigo"). Prices follow each collection's usual range,
 * sizes its usual size run, and a small share of products and variants are
 * unavailable (draft, archived, out of stock) so the app meets the same edge
 * cases a live store has. Ids have Shopify's magnitude but stay below 2^53.
 */
import { rng } from "./random.ts";
import type { Rng } from "./random.ts";

export interface ShopInfo {
  name: string;
  domain: string;
  email: string;
  currencyCode: "USD";
}

export interface Collection {
  id: number;
  handle: string;
  title: string;
}

export interface Variant {
  id: number;
  title: string;
  sku: string;
  price: string;
  inventoryQuantity: number;
  availableForSale: boolean;
}

export interface Product {
  id: number;
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  tags: string[];
  collectionIds: number[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  publishedOnlineStore: boolean;
  variants: Variant[];
  image: { url: string; altText: string };
  createdAt: string;
}

export interface Catalog {
  shop: ShopInfo;
  collections: Collection[];
  products: Product[];
}

export const SHOP: ShopInfo = {
  name: "Northwind Outfitters",
  domain: "encore-demo.myshopify.com",
  email: "hello@northwind-outfitters.example.com",
  currencyCode: "USD",
};

export const PRODUCT_ID_BASE = 8_000_000_000_000;
export const VARIANT_ID_BASE = 45_000_000_000_000;
export const COLLECTION_ID_BASE = 400_000_000_000;

// ---------------------------------------------------------------------------
// Vocabulary

const APPAREL_SIZES = ["XS", "S", "M", "L", "XL", "XXL"];
const WAIST_SIZES = ["28", "30", "32", "34", "36", "38"];
const SHOE_SIZES = ["7", "8", "9", "10", "11", "12"];
const SOCK_SIZES = ["S/M", "L/XL"];
const BELT_SIZES = ["S", "M", "L", "XL"];
const ONE_SIZE = ["One Size"];

const NEUTRALS = ["Black", "White", "Heather Grey", "Navy", "Charcoal", "Oatmeal"];
const BRIGHTS = ["Cobalt", "Sage", "Coral", "Mustard", "Sky Blue", "Lilac"];

/** One kind of product within a collection (Accessories has three). */
interface Kind {
  productType: string;
  /** Optional first word group, used on ~70% of titles ("Slim Fit"). */
  fits?: string[];
  materials: string[];
  nouns: string[];
  colours: string[];
  price: [number, number];
  sizes: string[];
  /** Share of this collection's products that are of this kind. */
  share: number;
}

interface CollectionSpec {
  handle: string;
  title: string;
  /** SKU prefix. */
  code: string;
  /** Placeholder image background. */
  colour: string;
  count: number;
  vendors: string[];
  /** Tags every product of the collection carries. */
  baseTags: string[];
  kinds: Kind[];
}

const HOUSE = "Northwind";
const HARBOR = "Harbor & Pine";

const COLLECTIONS: CollectionSpec[] = [
  {
    handle: "jeans", title: "Jeans", code: "JNS", colour: "#2f4a7a", count: 32,
    vendors: ["Fieldstone Denim", "Fieldstone Denim", HOUSE], baseTags: ["denim"],
    kinds: [{
      productType: "Jeans", share: 1, price: [59, 129], sizes: WAIST_SIZES,
      fits: ["Slim Fit", "Straight Leg", "Relaxed Fit", "Skinny", "Bootcut", "Tapered", "Wide Leg", "Athletic Fit"],
      materials: ["Stretch", "Selvedge", "Rigid", "Organic Cotton", "Raw", "Comfort Stretch", "Vintage"],
      nouns: ["Jeans"],
      colours: ["Indigo", "Dark Wash", "Light Wash", "Black", "Stone Wash", "Rinse", "Mid Blue", "Grey"],
    }],
  },
  {
    handle: "shoes", title: "Shoes", code: "SHO", colour: "#8a5a3b", count: 28,
    vendors: ["Copper Trail Footwear", "Copper Trail Footwear", HOUSE], baseTags: ["footwear"],
    kinds: [{
      productType: "Shoes", share: 1, price: [59, 189], sizes: SHOE_SIZES,
      materials: ["Classic", "Everyday", "Court", "Retro", "Lightweight", "Weatherproof", "Canvas", "Leather", "Suede"],
      nouns: ["Sneakers", "Runners", "Chelsea Boots", "Loafers", "High-Tops", "Slip-Ons", "Trail Shoes", "Desert Boots"],
      colours: ["White", "Black", "Tan", "Off-White", "Navy", "Chestnut", "Grey"],
    }],
  },
  {
    handle: "t-shirts", title: "T-shirts", code: "TEE", colour: "#c0504d", count: 36,
    vendors: [HOUSE, HOUSE, HARBOR], baseTags: ["tops"],
    kinds: [{
      productType: "T-Shirt", share: 1, price: [19, 45], sizes: APPAREL_SIZES,
      fits: ["Relaxed", "Slim", "Boxy", "Classic"],
      materials: ["Essential", "Heavyweight", "Slub", "Vintage Wash", "Organic Cotton", "Pima Cotton", "Supima"],
      nouns: ["Tee", "Crew Neck Tee", "V-Neck Tee", "Pocket Tee", "Long Sleeve Tee", "Henley", "Ringer Tee"],
      colours: [...NEUTRALS, ...BRIGHTS, "Rust", "Olive"],
    }],
  },
  {
    handle: "jackets", title: "Jackets", code: "JKT", colour: "#3f5e4a", count: 24,
    vendors: [HOUSE, HARBOR], baseTags: ["outerwear"],
    kinds: [{
      productType: "Jacket", share: 1, price: [89, 249], sizes: APPAREL_SIZES,
      materials: ["Waxed Cotton", "Recycled Nylon", "Denim", "Wool Blend", "Ripstop", "Corduroy", "Sherpa-Lined", "Packable"],
      nouns: ["Bomber Jacket", "Puffer Jacket", "Rain Jacket", "Field Jacket", "Chore Coat", "Trucker Jacket", "Quilted Jacket", "Parka", "Overshirt"],
      colours: ["Black", "Olive", "Navy", "Khaki", "Tan", "Charcoal", "Indigo"],
    }],
  },
  {
    handle: "hoodies", title: "Hoodies & Sweatshirts", code: "HOD", colour: "#6b5b95", count: 24,
    vendors: [HOUSE, HARBOR], baseTags: ["tops"],
    kinds: [{
      productType: "Hoodie", share: 1, price: [45, 89], sizes: APPAREL_SIZES,
      materials: ["Fleece", "French Terry", "Heavyweight", "Garment-Dyed", "Brushed", "Organic Cotton"],
      nouns: ["Pullover Hoodie", "Zip Hoodie", "Crewneck Sweatshirt", "Half-Zip Sweatshirt"],
      colours: [...NEUTRALS, "Forest Green", "Burgundy", "Sage"],
    }],
  },
  {
    handle: "dresses", title: "Dresses", code: "DRS", colour: "#b5577b", count: 26,
    vendors: [HARBOR, HARBOR, HOUSE], baseTags: ["women"],
    kinds: [{
      productType: "Dress", share: 1, price: [49, 149], sizes: ["XS", "S", "M", "L", "XL"],
      materials: ["Linen", "Floral", "Satin", "Ribbed", "Poplin", "Smocked", "Jersey", "Tencel"],
      nouns: ["Midi Dress", "Maxi Dress", "Wrap Dress", "Slip Dress", "Shirt Dress", "Sundress", "Knit Dress", "Tiered Dress"],
      colours: ["Black", "Ivory", "Sage", "Terracotta", "Navy", "Dusty Rose", "Cobalt", "Mustard"],
    }],
  },
  {
    handle: "shirts", title: "Shirts", code: "SHT", colour: "#4a7fa7", count: 26,
    vendors: [HOUSE, HARBOR], baseTags: ["tops"],
    kinds: [{
      productType: "Shirt", share: 1, price: [39, 98], sizes: APPAREL_SIZES,
      fits: ["Slim Fit", "Regular Fit", "Relaxed Fit"],
      materials: ["Oxford", "Flannel", "Linen", "Chambray", "Poplin", "Brushed Twill", "Seersucker"],
      nouns: ["Shirt", "Button-Down Shirt", "Camp Collar Shirt", "Western Shirt", "Work Shirt"],
      colours: ["White", "Light Blue", "Navy", "Olive", "Red Plaid", "Blue Stripe", "Ecru", "Black Watch"],
    }],
  },
  {
    handle: "shorts", title: "Shorts", code: "SHR", colour: "#d08c36", count: 22,
    vendors: [HOUSE, HARBOR, "Kestrel Athletics"], baseTags: ["bottoms"],
    kinds: [{
      productType: "Shorts", share: 1, price: [29, 69], sizes: APPAREL_SIZES,
      fits: ["7\"", "9\"", "Relaxed", "Pleated"],
      materials: ["Stretch", "Linen", "Ripstop", "Twill", "Fleece", "Recycled"],
      nouns: ["Chino Shorts", "Denim Shorts", "Cargo Shorts", "Swim Trunks", "Sweat Shorts", "Hiking Shorts"],
      colours: ["Khaki", "Navy", "Olive", "Stone", "Black", "Sky Blue", "Coral"],
    }],
  },
  {
    handle: "socks", title: "Socks", code: "SCK", colour: "#7d8b3a", count: 20,
    vendors: [HOUSE, "Kestrel Athletics"], baseTags: ["basics"],
    kinds: [{
      productType: "Socks", share: 1, price: [8, 18], sizes: SOCK_SIZES,
      materials: ["Merino", "Cushioned", "Organic Cotton", "Everyday", "Striped", "Ribbed", "Bamboo"],
      nouns: ["Crew Socks", "Ankle Socks", "Hiking Socks", "No-Show Socks", "Dress Socks", "Sport Socks"],
      colours: ["Black", "White", "Heather Grey", "Navy", "Mustard", "Forest Green", "Multi"],
    }],
  },
  {
    handle: "accessories", title: "Accessories", code: "ACC", colour: "#5e4b3c", count: 30,
    vendors: [HOUSE, HARBOR, "Fieldstone Denim"], baseTags: ["accessories"],
    kinds: [
      {
        productType: "Belt", share: 0.35, price: [29, 79], sizes: BELT_SIZES,
        materials: ["Leather", "Braided Leather", "Suede", "Canvas Web", "Reversible"],
        nouns: ["Belt", "Dress Belt", "Jeans Belt"],
        colours: ["Black", "Brown", "Tan", "Cognac", "Olive"],
      },
      {
        productType: "Cap", share: 0.3, price: [24, 38], sizes: ONE_SIZE,
        materials: ["Washed Cotton", "Wool", "Corduroy", "Nylon", "Embroidered"],
        nouns: ["Baseball Cap", "Five-Panel Cap", "Dad Hat", "Beanie", "Bucket Hat"],
        colours: ["Black", "Navy", "Stone", "Olive", "Burgundy", "Camel"],
      },
      {
        productType: "Bag", share: 0.35, price: [39, 149], sizes: ONE_SIZE,
        materials: ["Waxed Canvas", "Leather", "Recycled Nylon", "Canvas", "Ripstop"],
        nouns: ["Tote Bag", "Backpack", "Weekender Bag", "Crossbody Bag", "Messenger Bag", "Duffle Bag"],
        colours: ["Black", "Tan", "Olive", "Navy", "Natural", "Chestnut"],
      },
    ],
  },
  {
    handle: "sweaters", title: "Sweaters", code: "SWT", colour: "#8c6d46", count: 20,
    vendors: ["Marlowe Knitwear", "Marlowe Knitwear", HOUSE], baseTags: ["knitwear"],
    kinds: [{
      productType: "Sweater", share: 1, price: [59, 149], sizes: APPAREL_SIZES,
      materials: ["Merino", "Cashmere Blend", "Lambswool", "Cotton", "Alpaca Blend", "Fisherman"],
      nouns: ["Crewneck Sweater", "Cardigan", "Turtleneck", "Cable Knit Sweater", "Quarter-Zip Sweater", "V-Neck Sweater"],
      colours: ["Oatmeal", "Charcoal", "Navy", "Camel", "Forest Green", "Cream", "Burgundy"],
    }],
  },
  {
    handle: "activewear", title: "Activewear", code: "ACT", colour: "#1f8a8a", count: 22,
    vendors: ["Kestrel Athletics"], baseTags: ["active"],
    kinds: [{
      productType: "Activewear", share: 1, price: [29, 98], sizes: APPAREL_SIZES,
      materials: ["Performance", "Seamless", "Quick-Dry", "High-Rise", "Breathable", "Thermal"],
      nouns: ["Leggings", "Sports Bra", "Training Tee", "Running Tank", "Joggers", "Track Jacket", "Training Shorts"],
      colours: ["Black", "Charcoal", "Cobalt", "Sage", "Coral", "Navy", "Lilac"],
    }],
  },
];

/** Collection handles, for the order generator's popularity and affinity tables. */
export const COLLECTION_HANDLES = COLLECTIONS.map((c) => c.handle);

// Everything is dated relative to fixed instants, never "now", so a seed
// always yields the same store.
const CATALOG_FROM = Date.UTC(2023, 5, 1);
const CATALOG_TO = Date.UTC(2025, 11, 15);
const NEW_ARRIVALS_FROM = Date.UTC(2025, 9, 15);

// ---------------------------------------------------------------------------
// Building

/** A product before ids are assigned (ids follow creation time, like Shopify's). */
interface DraftProduct {
  spec: CollectionSpec;
  kind: Kind;
  title: string;
  vendor: string;
  tags: string[];
  status: Product["status"];
  sizes: string[];
  price: number;
  createdAtMs: number;
}

export function buildCatalog(seed = 1): Catalog {
  const root = rng(seed);
  const collections = buildCollections(root.fork("collections"));
  const drafts = COLLECTIONS.flatMap((spec) => draftProducts(spec, root.fork(`products:${spec.handle}`)));
  drafts.sort((a, b) => a.createdAtMs - b.createdAtMs);
  retireSome(drafts, root.fork("status"));

  const ids = root.fork("ids");
  const stock = root.fork("inventory");
  const handles = new Set<string>();
  let productId = PRODUCT_ID_BASE;
  let variantId = VARIANT_ID_BASE;
  const products = drafts.map((draft, index) => {
    productId += ids.int(1_000, 60_000);
    const collection = collections[COLLECTIONS.indexOf(draft.spec)];
    const variants = draft.sizes.map((size) => {
      variantId += ids.int(1_000, 40_000);
      return buildVariant(variantId, draft, size, index, stock);
    });
    return assembleProduct(productId, draft, collection, variants, uniqueHandle(slugify(draft.title), handles));
  });

  return { shop: { ...SHOP }, collections, products };
}

function buildCollections(r: Rng): Collection[] {
  let id = COLLECTION_ID_BASE;
  return COLLECTIONS.map((spec) => {
    id += r.int(10_000, 900_000);
    return { id, handle: spec.handle, title: spec.title };
  });
}

function draftProducts(spec: CollectionSpec, r: Rng): DraftProduct[] {
  const count = spec.count + r.int(-2, 2);
  const titles = new Set<string>();
  const out: DraftProduct[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.weighted(spec.kinds, (k) => k.share);
    const title = uniqueTitle(kind, r, titles);
    if (!title) continue; // vocabulary exhausted: a slightly smaller collection is fine
    const createdAtMs = CATALOG_FROM + Math.floor(r.next() * (CATALOG_TO - CATALOG_FROM));
    out.push({
      spec,
      kind,
      title,
      vendor: r.pick(spec.vendors),
      tags: productTags(spec, title, createdAtMs, r),
      status: "ACTIVE",
      sizes: sizeRun(kind.sizes, r),
      price: nicePrice(kind.price, r),
      createdAtMs,
    });
  }
  return out;
}

function uniqueTitle(kind: Kind, r: Rng, taken: Set<string>): string | null {
  for (let attempt = 0; attempt < 50; attempt++) {
    const words = [];
    if (kind.fits && r.chance(0.7)) words.push(r.pick(kind.fits));
    words.push(r.pick(kind.materials), r.pick(kind.nouns));
    const title = `${dedupeWords(words).join(" ")} – ${r.pick(kind.colours)}`;
    if (!taken.has(title)) {
      taken.add(title);
      return title;
    }
  }
  return null;
}

/** "Denim Denim Shorts" → "Denim Shorts"; "Linen Linen Shirt" → "Linen Shirt". */
function dedupeWords(words: string[]): string[] {
  const seen = new Set<string>();
  return words
    .join(" ")
    .split(" ")
    .filter((w) => {
      const key = w.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function productTags(spec: CollectionSpec, title: string, createdAtMs: number, r: Rng): string[] {
  const tags = new Set(spec.baseTags);
  if (!tags.has("women")) tags.add(r.weighted(["men", "women", "unisex"], (g) => (g === "unisex" ? 2 : 3)));
  if (createdAtMs >= NEW_ARRIVALS_FROM) tags.add("new");
  if (r.chance(0.07)) tags.add("bestseller");
  if (r.chance(0.1)) tags.add("sale");
  if (/organic|recycled/i.test(title) || r.chance(0.04)) tags.add("organic");
  if (r.chance(0.03)) tags.add("final-sale");
  else if (r.chance(0.02)) tags.add("exchange-only");
  return [...tags].sort();
}

/**
 * Exactly ~3% of products are not live (two thirds drafts, the rest
 * archived): a fixed share rather than a coin flip per product, so every
 * seed has a few and none has a suspicious number.
 */
function retireSome(drafts: DraftProduct[], r: Rng): void {
  const retired = r.shuffle(drafts).slice(0, Math.round(drafts.length * 0.03));
  retired.forEach((draft, i) => {
    draft.status = i % 3 === 2 ? "ARCHIVED" : "DRAFT";
  });
}

/** Most products come in the full size run; some skip the smallest or largest size. */
function sizeRun(sizes: string[], r: Rng): string[] {
  if (sizes.length <= 2) return sizes.slice();
  const from = r.chance(0.3) ? 1 : 0;
  const to = sizes.length - (r.chance(0.25) ? 1 : 0);
  return sizes.slice(from, to);
}

/** A whole-dollar price ending in 4 or 9 (or the bottom of the range), as shops price. */
function nicePrice([min, max]: [number, number], r: Rng): number {
  const raw = r.int(min, max);
  const ending9 = raw - ((raw + 1) % 5);
  return Math.min(max, Math.max(min, ending9));
}

function buildVariant(id: number, draft: DraftProduct, size: string, productIndex: number, r: Rng): Variant {
  const outOfStock = r.chance(0.05);
  const lowStock = r.chance(0.1);
  const inventoryQuantity = outOfStock ? 0 : lowStock ? r.int(1, 5) : r.int(6, 140);
  return {
    id,
    title: size,
    sku: `NW-${draft.spec.code}-${String(productIndex + 1).padStart(4, "0")}-${size.replace(/[^A-Za-z0-9]/g, "")}`.toUpperCase(),
    price: `${draft.price}.00`,
    inventoryQuantity,
    availableForSale: inventoryQuantity > 0,
  };
}

function assembleProduct(id: number, draft: DraftProduct, collection: Collection, variants: Variant[], handle: string): Product {
  return {
    id,
    handle,
    title: draft.title,
    vendor: draft.vendor,
    productType: draft.kind.productType,
    tags: draft.tags,
    collectionIds: [collection.id],
    status: draft.status,
    publishedOnlineStore: draft.status === "ACTIVE",
    variants,
    image: { url: `/sandbox-images/products/${id}.svg`, altText: draft.title },
    createdAt: new Date(draft.createdAtMs).toISOString(),
  };
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function uniqueHandle(base: string, taken: Set<string>): string {
  let handle = base;
  for (let n = 2; taken.has(handle); n++) handle = `${base}-${n}`;
  taken.add(handle);
  return handle;
}

// ---------------------------------------------------------------------------
// Lookups shared with the order generator and the sandbox server

/** The collection spec's handle for a product type ("Belt" → "accessories"). */
export function collectionHandleOf(productType: string): string | undefined {
  return COLLECTIONS.find((c) => c.kinds.some((k) => k.productType === productType))?.handle;
}

/** A product can be ordered when it is live and has a variant in stock. */
export function isOrderable(product: Product): boolean {
  return product.status === "ACTIVE" && product.publishedOnlineStore && product.variants.some((v) => v.availableForSale);
}

// ---------------------------------------------------------------------------
// Placeholder image

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/** Splits a title into at most two lines of ~22 characters for the placeholder. */
function titleLines(title: string): string[] {
  const [name, colour] = title.split(" – ");
  const lines: string[] = [];
  let current = "";
  for (const word of name.split(" ")) {
    if (current && (current + " " + word).length > 22) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  lines.push(current);
  const kept = lines.slice(0, 2);
  if (lines.length > 2) kept[1] = `${kept[1]}…`;
  return colour ? [...kept, colour] : kept;
}

/**
 * A small square SVG for a product: the collection's colour, the product
 * type's initial in a soft disc, and the title. Served by the sandbox at
 * `product.image.url`.
 */
export function productImageSvg(product: Product): string {
  const spec = COLLECTIONS.find((c) => c.handle === collectionHandleOf(product.productType));
  const background = spec?.colour ?? "#6d7175";
  const lines = titleLines(product.title);
  const text = lines
    .map((line, i) => {
      const last = i === lines.length - 1 && lines.length > 1;
      return `<text x="200" y="${290 + i * 30}" font-size="${last ? 17 : 22}" opacity="${last ? 0.8 : 1}">${escapeXml(line)}</text>`;
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img" aria-label="${escapeXml(product.title)}">` +
    `<rect width="400" height="400" fill="${background}"/>` +
    `<rect x="16" y="16" width="368" height="368" rx="18" fill="none" stroke="#fff" stroke-opacity=".25" stroke-width="2"/>` +
    `<circle cx="200" cy="160" r="78" fill="#fff" fill-opacity=".18"/>` +
    `<g font-family="Helvetica,Arial,sans-serif" fill="#fff" text-anchor="middle">` +
    `<text x="200" y="184" font-size="68" font-weight="700">${escapeXml(product.productType.charAt(0))}</text>` +
    text +
    `<text x="200" y="368" font-size="13" letter-spacing="3" opacity=".7">${escapeXml(SHOP.name.toUpperCase())}</text>` +
    `</g></svg>`
  );
}
