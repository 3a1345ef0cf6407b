-- CreateIndex
CREATE INDEX "Redemption_shopId_status_usedAt_idx" ON "Redemption"("shopId", "status", "usedAt");

