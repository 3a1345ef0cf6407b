import type { Db, Tx } from "../db.server";
import { cachedShopData, invalidateShopData } from "../services/cache.server";
import type { Rounding } from "../services/money";
import type { ProgramValue } from "../services/loyalty/program";

export type ShopRecord = NonNullable<Awaited<ReturnType<Db["shop"]["findUnique"]>>>;

export interface ProgramSettings {
  earnRate: string;
  earnRounding: Rounding;
  allowNegativeBalance: boolean;
}

export function settingsOf(shop: ShopRecord): ProgramSettings {
  return {
    earnRate: shop.earnRate,
    earnRounding: shop.earnRounding as Rounding,
    allowNegativeBalance: shop.allowNegativeBalance,
  };
}

export function getShop(db: Db | Tx, id: string) {
  return db.shop.findUnique({ where: { id } });
}

/**
 * What the thank-you extension reads of the shop on every answer (served,
 * earning settings), through the per-shop cache (../services/cache.server.ts);
 * every write below forgets it in this process.
 */
export function cachedShopForExtension(db: Db, id: string) {
  return cachedShopData(db, id, "shop", () =>
    db.shop.findUnique({ where: { id }, select: { id: true, uninstalledAt: true, earnRate: true, earnRounding: true } }),
  );
}

/**
 * The shop's whole record for webhook handling, through the same cache: every
 * delivery needs it, and reading it through Prisma cost a seventh of an
 * orders/paid's CPU. Another app server's settings save reaches this one
 * within the cache's few seconds, as rules and tiers do.
 */
export function cachedShop(db: Db, id: string): Promise<ShopRecord | null> {
  return cachedShopData(db, id, "shop:record", () => getShop(db, id));
}

const forgetShop = (db: Db, id: string) => invalidateShopData(db, id, "shop");

/** Whether Encore serves the shop (installed, not uninstalled): the queue intake's one question about it. */
export async function isServed(db: Db, id: string): Promise<boolean> {
  const shop = await cachedShop(db, id);
  return Boolean(shop && !shop.uninstalledAt);
}

/** Called after every successful admin authentication; (re)activates the shop. */
export async function recordInstall(db: Db, id: string, scopes: string | null) {
  const shop = await db.shop.upsert({
    where: { id },
    create: { id, scopes },
    update: { uninstalledAt: null, scopes },
  });
  forgetShop(db, id);
  return shop;
}

/** The shop behind an authenticated admin session (afterAuth normally created it). */
export async function shopForSession(db: Db, session: { shop: string; scope?: string | null }) {
  return (await getShop(db, session.shop)) ?? (await recordInstall(db, session.shop, session.scope ?? null));
}

/** Shop details known from the Admin API (name, contact email, currency). */
export async function updateShopDetails(db: Db, id: string, details: { name?: string; email?: string; currencyCode?: string }) {
  const shop = await db.shop.update({ where: { id }, data: details });
  forgetShop(db, id);
  return shop;
}

export async function updateSettings(db: Db, id: string, settings: ProgramSettings) {
  const shop = await db.shop.update({ where: { id }, data: settings });
  forgetShop(db, id);
  return shop;
}

/** The Program page's settings (pending window, bonuses, expiry, tier basis). */
export async function updateProgram(db: Db, id: string, program: ProgramValue) {
  const shop = await db.shop.update({ where: { id }, data: program });
  forgetShop(db, id);
  return shop;
}

/** Installed shops, for scheduled jobs. */
export function activeShops(db: Db, where: Record<string, unknown> = {}) {
  return db.shop.findMany({ where: { uninstalledAt: null, ...where }, orderBy: { id: "asc" } });
}

export async function markUninstalled(db: Db, id: string) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop: id } }),
    db.shop.updateMany({ where: { id }, data: { uninstalledAt: new Date() } }),
  ]);
  forgetShop(db, id);
}

export async function updateScopes(db: Db, id: string, scopes: string[]) {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop: id }, data: { scope } }),
    db.shop.updateMany({ where: { id }, data: { scopes: scope } }),
  ]);
  forgetShop(db, id);
}

/** shop/redact: everything Encore holds about the shop goes. */
export async function eraseShop(db: Db, id: string) {
  await db.$transaction([
    db.ledgerEntry.deleteMany({ where: { shopId: id } }),
    db.tierChange.deleteMany({ where: { shopId: id } }),
    db.earningTier.deleteMany({ where: { shopId: id } }),
    db.earningRule.deleteMany({ where: { shopId: id } }),
    db.customer.deleteMany({ where: { shopId: id } }),
    db.orderRefund.deleteMany({ where: { shopId: id } }),
    db.orderAward.deleteMany({ where: { shopId: id } }),
    db.dataRequest.deleteMany({ where: { shopId: id } }),
    db.webhookEvent.deleteMany({ where: { shopId: id } }),
    db.dailyStat.deleteMany({ where: { shopId: id } }),
    db.windowStat.deleteMany({ where: { shopId: id } }),
    db.session.deleteMany({ where: { shop: id } }),
    db.shop.deleteMany({ where: { id } }),
  ]);
  invalidateShopData(db, id);
}
