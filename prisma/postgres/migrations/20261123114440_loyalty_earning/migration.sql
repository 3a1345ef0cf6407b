-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "birthdayBonus" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "excludedCustomerTags" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "expiryMonths" INTEGER NOT NULL DEFAULT 12,
ADD COLUMN     "expiryPolicy" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "firstOrderBonus" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "minOrderValue" TEXT NOT NULL DEFAULT '0',
ADD COLUMN     "pendingDays" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "signupBonus" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tierBasis" TEXT NOT NULL DEFAULT 'spend',
ADD COLUMN     "tierWindowMonths" INTEGER NOT NULL DEFAULT 12;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "birthday" TEXT,
ADD COLUMN     "pendingBalance" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tierId" TEXT;

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "availableAt" TIMESTAMP(3),
ADD COLUMN     "pendingPoints" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OrderAward" ADD COLUMN     "availableAt" TIMESTAMP(3),
ADD COLUMN     "explanation" TEXT,
ADD COLUMN     "merchandiseRefunded" TEXT NOT NULL DEFAULT '0',
ADD COLUMN     "pointsPending" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "EarningRule" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',
    "multiplier" TEXT,
    "bonusPoints" INTEGER,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EarningRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EarningTier" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "threshold" TEXT NOT NULL,
    "multiplier" TEXT NOT NULL DEFAULT '1',
    "perks" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EarningTier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromTierId" TEXT,
    "fromName" TEXT,
    "toTierId" TEXT,
    "toName" TEXT,
    "basisValue" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EarningRule_shopId_kind_idx" ON "EarningRule"("shopId", "kind");

-- CreateIndex
CREATE INDEX "EarningTier_shopId_idx" ON "EarningTier"("shopId");

-- CreateIndex
CREATE INDEX "TierChange_customerId_createdAt_idx" ON "TierChange"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_shopId_createdAt_idx" ON "TierChange"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_tierId_idx" ON "Customer"("shopId", "tierId");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_type_createdAt_idx" ON "LedgerEntry"("shopId", "type", "createdAt");

-- CreateIndex
CREATE INDEX "OrderAward_pointsPending_availableAt_idx" ON "OrderAward"("pointsPending", "availableAt");

