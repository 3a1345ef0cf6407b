import { describe, expect, it, vi } from "vitest";
import { cachedShopData, invalidateShopData, SHOP_DATA_TTL_MS, TtlCache } from "./cache.server";

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("TtlCache", () => {
  it("serves a loaded value until it expires, then loads again", async () => {
    const time = clock();
    const cache = new TtlCache<number>({ ttlMs: 100, now: time.now });
    let loads = 0;
    const load = vi.fn(async () => ++loads);
    expect(await cache.get("k", load)).toBe(1);
    time.advance(99);
    expect(await cache.get("k", load)).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
    time.advance(1);
    expect(await cache.get("k", load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("peeks at fresh values only, without loading", async () => {
    const time = clock();
    const cache = new TtlCache<number>({ ttlMs: 100, now: time.now });
    expect(cache.peek("k")).toBeUndefined();
    await cache.get("k", async () => 7);
    expect(await cache.peek("k")).toBe(7);
    time.advance(100);
    expect(cache.peek("k")).toBeUndefined();
  });

  it("keeps keys apart", async () => {
    const cache = new TtlCache<string>({ ttlMs: 100 });
    expect(await cache.get("a", async () => "A")).toBe("A");
    expect(await cache.get("b", async () => "B")).toBe("B");
    expect(await cache.get("a", async () => "other")).toBe("A");
  });

  it("loads again at once after delete, deletePrefix and clear", async () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000 });
    let n = 0;
    const load = async () => ++n;
    await cache.get("shop1:x", load);
    await cache.get("shop1:y", load);
    await cache.get("shop2:x", load);
    cache.delete("shop1:x");
    expect(await cache.get("shop1:x", load)).toBe(4);
    cache.deletePrefix("shop1:");
    expect(await cache.get("shop1:y", load)).toBe(5);
    expect(await cache.get("shop2:x", load)).toBe(3);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(await cache.get("shop2:x", load)).toBe(6);
  });

  it("shares one load between concurrent misses", async () => {
    const cache = new TtlCache<string>({ ttlMs: 100 });
    let release!: (v: string) => void;
    const load = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const both = Promise.all([cache.get("k", load), cache.get("k", load)]);
    release("v");
    expect(await both).toEqual(["v", "v"]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("does not keep a failed load", async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000 });
    await expect(cache.get("k", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => "up")).toBe("up");
  });

  it("an invalidation during a load makes the next read load again", async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000 });
    let release!: (v: string) => void;
    const first = cache.get("k", () => new Promise<string>((resolve) => (release = resolve)));
    cache.delete("k"); // a write committed while the old value was being read
    expect(await cache.get("k", async () => "new")).toBe("new");
    release("old");
    expect(await first).toBe("old");
    expect(await cache.get("k", async () => "newer")).toBe("new");
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const cache = new TtlCache<number>({ ttlMs: 60_000, maxEntries: 2 });
    await cache.get("a", async () => 1);
    await cache.get("b", async () => 2);
    await cache.get("c", async () => 3);
    expect(cache.size).toBe(2);
    expect(await cache.get("a", async () => 10)).toBe(10);
    expect(await cache.get("c", async () => 30)).toBe(3);
  });
});

describe("per-shop data", () => {
  it("is cached per client and shop, and invalidated by name (with its variants) or whole", async () => {
    const db1 = {};
    const db2 = {};
    let n = 0;
    const load = async () => ++n;
    expect(await cachedShopData(db1, "s1", "rules", load)).toBe(1);
    expect(await cachedShopData(db1, "s1", "rules", load)).toBe(1);
    expect(await cachedShopData(db2, "s1", "rules", load)).toBe(2); // another client
    expect(await cachedShopData(db1, "s2", "rules", load)).toBe(3); // another shop
    expect(await cachedShopData(db1, "s1", "sellers:50", load)).toBe(4);
    expect(await cachedShopData(db1, "s1", "shop", load)).toBe(5);

    invalidateShopData(db1, "s1", "sellers");
    expect(await cachedShopData(db1, "s1", "sellers:50", load)).toBe(6);
    expect(await cachedShopData(db1, "s1", "rules", load)).toBe(1);

    invalidateShopData(db1, "s1");
    expect(await cachedShopData(db1, "s1", "rules", load)).toBe(7);
    expect(await cachedShopData(db1, "s1", "shop", load)).toBe(8);
    expect(await cachedShopData(db1, "s2", "rules", load)).toBe(3);
    expect(await cachedShopData(db2, "s1", "rules", load)).toBe(2);
  });

  it("expires after SHOP_DATA_TTL_MS", async () => {
    vi.useFakeTimers();
    try {
      const db = {};
      let n = 0;
      const load = async () => ++n;
      expect(await cachedShopData(db, "s", "x", load)).toBe(1);
      vi.advanceTimersByTime(SHOP_DATA_TTL_MS - 1);
      expect(await cachedShopData(db, "s", "x", load)).toBe(1);
      vi.advanceTimersByTime(1);
      expect(await cachedShopData(db, "s", "x", load)).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
