-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "value" TEXT,
    "productId" TEXT,
    "productTitle" TEXT,
    "minimumSubtotal" TEXT,
    "expiryDays" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "pointsCost" INTEGER NOT NULL,
    "deductPoints" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL,
    "actor" TEXT,
    "code" TEXT NOT NULL,
    "discountId" TEXT,
    "snapshot" TEXT NOT NULL,
    "endsAt" DATETIME,
    "error" TEXT,
    "orderId" TEXT,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MetafieldSync" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "balance" INTEGER NOT NULL,
    "tier" TEXT,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ReferralSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "friendDiscountKind" TEXT NOT NULL DEFAULT 'percentage_off',
    "friendDiscountValue" TEXT NOT NULL DEFAULT '10',
    "friendMinimumSubtotal" TEXT,
    "friendCodeExpiryDays" INTEGER NOT NULL DEFAULT 30,
    "referrerPoints" INTEGER NOT NULL DEFAULT 500,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReferralCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "identityHashes" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "referralCodeId" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "discountCode" TEXT,
    "discountId" TEXT,
    "friendCustomerId" TEXT,
    "friendEmail" TEXT,
    "friendAddress" TEXT,
    "orderId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'clicked',
    "rejectReason" TEXT,
    "dueAt" DATETIME,
    "pointsGranted" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Reward_shopId_active_idx" ON "Reward"("shopId", "active");

-- CreateIndex
CREATE INDEX "Redemption_shopId_customerId_createdAt_idx" ON "Redemption"("shopId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Redemption_shopId_createdAt_idx" ON "Redemption"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_requestId_key" ON "Redemption"("shopId", "requestId");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_code_key" ON "Redemption"("shopId", "code");

-- CreateIndex
CREATE INDEX "MetafieldSync_shopId_idx" ON "MetafieldSync"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_code_key" ON "ReferralCode"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shopId_customerId_key" ON "ReferralCode"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "Referral_shopId_status_dueAt_idx" ON "Referral"("shopId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Referral_shopId_friendCustomerId_idx" ON "Referral"("shopId", "friendCustomerId");

-- CreateIndex
CREATE INDEX "Referral_shopId_friendEmail_idx" ON "Referral"("shopId", "friendEmail");

-- CreateIndex
CREATE INDEX "Referral_shopId_friendAddress_idx" ON "Referral"("shopId", "friendAddress");

-- CreateIndex
CREATE INDEX "Referral_referralCodeId_idx" ON "Referral"("referralCodeId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shopId_token_key" ON "Referral"("shopId", "token");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shopId_discountCode_key" ON "Referral"("shopId", "discountCode");

