// A small in-process cache with a time to live, for per-shop data that
// changes rarely and is read on hot paths: the thank-you extension's offer
// rules, offer settings, running A/B tests, best-sellers and the shop's
// earning settings; orders/paid's earning rules, tiers, email and referral
// settings.
//
// Staleness: production runs several app servers (and job workers), each
// with its own cache. A write invalidates the cache of the process that made
// it at once (so the merchant sees a saved offer in the next answer served by
// that server); the other processes see it when their entry expires, so the
// TTL bounds how stale any answer can be. Keep TTLs short (seconds).
//
// Loads are shared: concurrent misses of one key wait for one load (the
// promise is cached), a failed load is not cached, and an invalidation during
// a load makes the next read load again. Cached values are shared between
// callers: never mutate them.

export interface TtlCacheOptions {
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  maxEntries?: number;
  /** Milliseconds now (tests pass a fake clock). */
  now?: () => number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? (() => Date.now());
  }

  /** The cached value of `key`, or what `load` gives (then cached for the TTL). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (hit) this.entries.delete(key);
    const value = load();
    const entry = { value, expiresAt: now + this.ttlMs };
    this.entries.set(key, entry);
    // A failed load is not kept (unless something newer replaced it already).
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** The cached value of `key` while fresh, without loading it. */
  peek(key: string): Promise<V> | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expiresAt > this.now() ? hit.value : undefined;
  }

  /** Forgets `key`. */
  delete(key: string) {
    this.entries.delete(key);
  }

  /** Forgets every key starting with `prefix`. */
  deletePrefix(prefix: string) {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}

/** How long per-shop data is served from memory before it is read again. */
export const SHOP_DATA_TTL_MS = 5_000;

// One cache per database client (the benchmarks and tests open several on
// the same shop ids), keyed by `shopId` + a name for the data.
const perClient = new WeakMap<object, TtlCache<unknown>>();

function shopCache(db: object): TtlCache<unknown> {
  let cache = perClient.get(db);
  if (!cache) perClient.set(db, (cache = new TtlCache<unknown>({ ttlMs: SHOP_DATA_TTL_MS })));
  return cache;
}

const SEP = "\u0000";

/**
 * Per-shop data through the cache of `db`'s client: `name` names the data
 * (and its variant, e.g. "best-sellers:50").
 */
export function cachedShopData<V>(db: object, shopId: string, name: string, load: () => Promise<V>): Promise<V> {
  return shopCache(db).get(`${shopId}${SEP}${name}`, load) as Promise<V>;
}

/**
 * After a write: forgets the shop's cached data in this process — all of it,
 * or the names given (a name also forgets its variants, "best-sellers" those
 * of "best-sellers:50").
 */
export function invalidateShopData(db: object, shopId: string, ...names: string[]) {
  const cache = perClient.get(db);
  if (!cache) return;
  if (names.length === 0) cache.deletePrefix(`${shopId}${SEP}`);
  for (const name of names) {
    cache.delete(`${shopId}${SEP}${name}`);
    cache.deletePrefix(`${shopId}${SEP}${name}:`);
  }
}
