-- AlterTable
ALTER TABLE "PurchaseHistoryOrder" ADD COLUMN "foldedAt" DATETIME;

-- CreateIndex
CREATE INDEX "PurchaseHistoryOrder_foldedAt_shopId_idx" ON "PurchaseHistoryOrder"("foldedAt", "shopId");


-- Orders recorded before this migration were folded when recorded.
UPDATE "PurchaseHistoryOrder" SET "foldedAt" = "createdAt";
