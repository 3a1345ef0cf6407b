import type { Db, Tx } from "../db.server";
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

/** Whether Encore serves the shop (installed, not uninstalled): the queue intake's one question about it. */
export async function isServed(db: Db, id: string): Promise<boolean> {
  const shop = await db.shop.findUnique({ where: { id }, select: { uninstalledAt: true } });
  return Boolean(shop && !shop.uninstalledAt);
}

/** Called after every successful admin authentication; (re)activates the shop. */
export function recordInstall(db: Db, id: string, scopes: string | null) {
  return db.shop.upsert({
    where: { id },
    create: { id, scopes },
    update: { uninstalledAt: null, scopes },
  });
}

/** The shop behind an authenticated admin session (afterAuth normally created it). */
export async function shopForSession(db: Db, session: { shop: string; scope?: string | null }) {
  return (await getShop(db, session.shop)) ?? (await recordInstall(db, session.shop, session.scope ?? null));
}

/** Shop details known from the Admin API (name, contact email, currency). */
export function updateShopDetails(db: Db, id: string, details: { name?: string; email?: string; currencyCode?: string }) {
  return db.shop.update({ where: { id }, data: details });
}

export function updateSettings(db: Db, id: string, settings: ProgramSettings) {
  return db.shop.update({ where: { id }, data: settings });
}

/** The Program page's settings (pending window, bonuses, expiry, tier basis). */
export function updateProgram(db: Db, id: string, program: ProgramValue) {
  return db.shop.update({ where: { id }, data: program });
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
}

export async function updateScopes(db: Db, id: string, scopes: string[]) {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop: id }, data: { scope } }),
    db.shop.updateMany({ where: { id }, data: { scopes: scope } }),
  ]);
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
    db.session.deleteMany({ where: { shop: id } }),
    db.shop.deleteMany({ where: { id } }),
  ]);
}
