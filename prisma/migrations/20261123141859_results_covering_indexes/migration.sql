-- DropIndex
DROP INDEX "LedgerEntry_shopId_createdAt_idx";

-- DropIndex
DROP INDEX "OrderAward_customerId_idx";

-- DropIndex
DROP INDEX "OrderAward_shopId_createdAt_idx";

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_createdAt_customerId_idx" ON "LedgerEntry"("shopId", "createdAt", "customerId");

-- CreateIndex
CREATE INDEX "OrderAward_shopId_createdAt_customerId_status_idx" ON "OrderAward"("shopId", "createdAt", "customerId", "status");

-- CreateIndex
CREATE INDEX "OrderAward_customerId_createdAt_status_idx" ON "OrderAward"("customerId", "createdAt", "status");

