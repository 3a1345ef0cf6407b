import type { Db } from "../db.server";

export function createDataRequest(
  db: Db,
  data: { shopId: string; shopifyRequestId: string | null; customerShopifyId: string; email: string | null; export: unknown },
) {
  return db.dataRequest.create({ data: { ...data, export: JSON.stringify(data.export, null, 2) } });
}

export function listDataRequests(db: Db, shopId: string, take = 20) {
  return db.dataRequest.findMany({
    where: { shopId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, shopifyRequestId: true, customerShopifyId: true, email: true, createdAt: true },
  });
}

export function getDataRequest(db: Db, shopId: string, id: string) {
  return db.dataRequest.findFirst({ where: { id, shopId } });
}
