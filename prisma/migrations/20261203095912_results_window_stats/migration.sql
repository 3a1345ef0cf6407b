-- CreateTable
CREATE TABLE "WindowStat" (
    "shopId" TEXT NOT NULL,
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "asOf" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopId", "asOf", "fromDay", "toDay", "metric")
);

-- CreateIndex
CREATE INDEX "WindowStat_asOf_idx" ON "WindowStat"("asOf");

-- CreateIndex
CREATE INDEX "EmailMessage_shopId_openedAt_idx" ON "EmailMessage"("shopId", "openedAt");

-- CreateIndex
CREATE INDEX "EmailMessage_shopId_clickedAt_idx" ON "EmailMessage"("shopId", "clickedAt");

