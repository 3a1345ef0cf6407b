-- CreateTable
CREATE TABLE "EarningRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',
    "multiplier" TEXT,
    "bonusPoints" INTEGER,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EarningTier" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "threshold" TEXT NOT NULL,
    "multiplier" TEXT NOT NULL DEFAULT '1',
    "perks" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromTierId" TEXT,
    "fromName" TEXT,
    "toTierId" TEXT,
    "toName" TEXT,
    "basisValue" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "email" TEXT,
    "currencyCode" TEXT NOT NULL DEFAULT 'USD',
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT,
    "earnRate" TEXT NOT NULL DEFAULT '1',
    "earnRounding" TEXT NOT NULL DEFAULT 'floor',
    "allowNegativeBalance" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "birthdayBonus" INTEGER NOT NULL DEFAULT 0,
    "excludedCustomerTags" TEXT NOT NULL DEFAULT '',
    "expiryMonths" INTEGER NOT NULL DEFAULT 12,
    "expiryPolicy" TEXT NOT NULL DEFAULT 'none',
    "firstOrderBonus" INTEGER NOT NULL DEFAULT 0,
    "minOrderValue" TEXT NOT NULL DEFAULT '0',
    "pendingDays" INTEGER NOT NULL DEFAULT 0,
    "signupBonus" INTEGER NOT NULL DEFAULT 0,
    "tierBasis" TEXT NOT NULL DEFAULT 'spend',
    "tierWindowMonths" INTEGER NOT NULL DEFAULT 12
);
INSERT INTO "new_Shop" ("allowNegativeBalance", "createdAt", "currencyCode", "earnRate", "earnRounding", "email", "id", "installedAt", "name", "scopes", "uninstalledAt", "updatedAt") SELECT "allowNegativeBalance", "createdAt", "currencyCode", "earnRate", "earnRounding", "email", "id", "installedAt", "name", "scopes", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE TABLE "new_Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "phone" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "emailMarketingConsent" TEXT,
    "locale" TEXT,
    "searchText" TEXT NOT NULL DEFAULT '',
    "balance" INTEGER NOT NULL DEFAULT 0,
    "redactedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "birthday" TEXT,
    "pendingBalance" INTEGER NOT NULL DEFAULT 0,
    "tierId" TEXT
);
INSERT INTO "new_Customer" ("balance", "createdAt", "email", "emailMarketingConsent", "firstName", "id", "lastName", "locale", "phone", "redactedAt", "searchText", "shopId", "shopifyId", "tags", "updatedAt") SELECT "balance", "createdAt", "email", "emailMarketingConsent", "firstName", "id", "lastName", "locale", "phone", "redactedAt", "searchText", "shopId", "shopifyId", "tags", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shopId_balance_idx" ON "Customer"("shopId", "balance");
CREATE INDEX "Customer_shopId_email_idx" ON "Customer"("shopId", "email");
CREATE INDEX "Customer_shopId_createdAt_idx" ON "Customer"("shopId", "createdAt");
CREATE INDEX "Customer_shopId_tierId_idx" ON "Customer"("shopId", "tierId");
CREATE UNIQUE INDEX "Customer_shopId_shopifyId_key" ON "Customer"("shopId", "shopifyId");
CREATE TABLE "new_LedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "sourceType" TEXT NOT NULL,
    "sourceId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "reason" TEXT,
    "actor" TEXT,
    "details" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "availableAt" DATETIME,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "LedgerEntry_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_LedgerEntry" ("actor", "balanceAfter", "createdAt", "customerId", "details", "id", "idempotencyKey", "points", "reason", "shopId", "sourceId", "sourceType", "type") SELECT "actor", "balanceAfter", "createdAt", "customerId", "details", "id", "idempotencyKey", "points", "reason", "shopId", "sourceId", "sourceType", "type" FROM "LedgerEntry";
DROP TABLE "LedgerEntry";
ALTER TABLE "new_LedgerEntry" RENAME TO "LedgerEntry";
CREATE INDEX "LedgerEntry_customerId_createdAt_idx" ON "LedgerEntry"("customerId", "createdAt");
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");
CREATE INDEX "LedgerEntry_shopId_type_createdAt_idx" ON "LedgerEntry"("shopId", "type", "createdAt");
CREATE UNIQUE INDEX "LedgerEntry_shopId_idempotencyKey_key" ON "LedgerEntry"("shopId", "idempotencyKey");
CREATE TABLE "new_OrderAward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "status" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "merchandiseTotal" TEXT NOT NULL,
    "rate" TEXT NOT NULL,
    "rounding" TEXT NOT NULL,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "pointsReversed" INTEGER NOT NULL DEFAULT 0,
    "lines" TEXT NOT NULL,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "availableAt" DATETIME,
    "explanation" TEXT,
    "merchandiseRefunded" TEXT NOT NULL DEFAULT '0',
    "pointsPending" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_OrderAward" ("cancelledAt", "createdAt", "currencyCode", "customerId", "id", "lines", "merchandiseTotal", "orderId", "orderName", "pointsAwarded", "pointsReversed", "rate", "rounding", "shopId", "status", "updatedAt") SELECT "cancelledAt", "createdAt", "currencyCode", "customerId", "id", "lines", "merchandiseTotal", "orderId", "orderName", "pointsAwarded", "pointsReversed", "rate", "rounding", "shopId", "status", "updatedAt" FROM "OrderAward";
DROP TABLE "OrderAward";
ALTER TABLE "new_OrderAward" RENAME TO "OrderAward";
CREATE INDEX "OrderAward_shopId_createdAt_idx" ON "OrderAward"("shopId", "createdAt");
CREATE INDEX "OrderAward_customerId_idx" ON "OrderAward"("customerId");
CREATE INDEX "OrderAward_pointsPending_availableAt_idx" ON "OrderAward"("pointsPending", "availableAt");
CREATE UNIQUE INDEX "OrderAward_shopId_orderId_key" ON "OrderAward"("shopId", "orderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "EarningRule_shopId_kind_idx" ON "EarningRule"("shopId", "kind");

-- CreateIndex
CREATE INDEX "EarningTier_shopId_idx" ON "EarningTier"("shopId");

-- CreateIndex
CREATE INDEX "TierChange_customerId_createdAt_idx" ON "TierChange"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_shopId_createdAt_idx" ON "TierChange"("shopId", "createdAt");

