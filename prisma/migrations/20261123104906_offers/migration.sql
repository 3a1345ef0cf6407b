-- CreateTable
CREATE TABLE "CatalogProduct" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "imageUrl" TEXT,
    "vendor" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '[]',
    "collectionIds" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "price" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "inventory" INTEGER,
    "deletedAt" DATETIME,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CatalogVariant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "price" TEXT NOT NULL,
    "available" BOOLEAN NOT NULL,
    "inventory" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "OfferSyncState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "cursor" TEXT,
    "pages" INTEGER NOT NULL DEFAULT 0,
    "items" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "PurchaseHistoryOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "buyerKey" TEXT NOT NULL,
    "productIds" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PurchaseBuyerProduct" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "buyerKey" TEXT NOT NULL,
    "productId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "PurchaseProductStat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "buyers" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "PurchasePair" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productA" TEXT NOT NULL,
    "productB" TEXT NOT NULL,
    "buyers" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "ProductRecommendation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "recommendedId" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "support" INTEGER NOT NULL,
    "computedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "triggerType" TEXT NOT NULL,
    "triggerValues" TEXT NOT NULL DEFAULT '[]',
    "minOrderValue" TEXT,
    "maxOrderValue" TEXT,
    "offeredProductIds" TEXT NOT NULL DEFAULT '[]',
    "discountKind" TEXT,
    "discountValue" TEXT,
    "discountCode" TEXT,
    "discountId" TEXT,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OfferSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "fallbackProductIds" TEXT NOT NULL DEFAULT '[]',
    "minSupport" INTEGER NOT NULL DEFAULT 2,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OfferEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "offerId" TEXT,
    "testId" TEXT,
    "arm" TEXT,
    "productId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT,
    "surface" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OfferConversion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "offerId" TEXT,
    "testId" TEXT,
    "arm" TEXT,
    "orderId" TEXT NOT NULL,
    "attributionKey" TEXT NOT NULL,
    "revenue" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OfferTest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "offerAId" TEXT NOT NULL,
    "offerBId" TEXT,
    "splitB" INTEGER NOT NULL DEFAULT 50,
    "status" TEXT NOT NULL DEFAULT 'running',
    "winner" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "CatalogProduct_shopId_status_idx" ON "CatalogProduct"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogProduct_shopId_productId_key" ON "CatalogProduct"("shopId", "productId");

-- CreateIndex
CREATE INDEX "CatalogVariant_shopId_productId_idx" ON "CatalogVariant"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "CatalogVariant_shopId_variantId_key" ON "CatalogVariant"("shopId", "variantId");

-- CreateIndex
CREATE UNIQUE INDEX "OfferSyncState_shopId_kind_key" ON "OfferSyncState"("shopId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "PurchaseHistoryOrder_shopId_orderId_key" ON "PurchaseHistoryOrder"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "PurchaseBuyerProduct_shopId_productId_idx" ON "PurchaseBuyerProduct"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "PurchaseBuyerProduct_shopId_buyerKey_productId_key" ON "PurchaseBuyerProduct"("shopId", "buyerKey", "productId");

-- CreateIndex
CREATE INDEX "PurchaseProductStat_shopId_buyers_idx" ON "PurchaseProductStat"("shopId", "buyers");

-- CreateIndex
CREATE UNIQUE INDEX "PurchaseProductStat_shopId_productId_key" ON "PurchaseProductStat"("shopId", "productId");

-- CreateIndex
CREATE INDEX "PurchasePair_shopId_productB_idx" ON "PurchasePair"("shopId", "productB");

-- CreateIndex
CREATE UNIQUE INDEX "PurchasePair_shopId_productA_productB_key" ON "PurchasePair"("shopId", "productA", "productB");

-- CreateIndex
CREATE INDEX "ProductRecommendation_shopId_productId_idx" ON "ProductRecommendation"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductRecommendation_shopId_productId_rank_key" ON "ProductRecommendation"("shopId", "productId", "rank");

-- CreateIndex
CREATE INDEX "Offer_shopId_enabled_idx" ON "Offer"("shopId", "enabled");

-- CreateIndex
CREATE INDEX "Offer_shopId_discountCode_idx" ON "Offer"("shopId", "discountCode");

-- CreateIndex
CREATE INDEX "OfferEvent_shopId_offerId_type_idx" ON "OfferEvent"("shopId", "offerId", "type");

-- CreateIndex
CREATE INDEX "OfferEvent_shopId_testId_arm_idx" ON "OfferEvent"("shopId", "testId", "arm");

-- CreateIndex
CREATE UNIQUE INDEX "OfferEvent_shopId_type_orderId_productId_surface_key" ON "OfferEvent"("shopId", "type", "orderId", "productId", "surface");

-- CreateIndex
CREATE INDEX "OfferConversion_shopId_offerId_idx" ON "OfferConversion"("shopId", "offerId");

-- CreateIndex
CREATE INDEX "OfferConversion_shopId_testId_arm_idx" ON "OfferConversion"("shopId", "testId", "arm");

-- CreateIndex
CREATE UNIQUE INDEX "OfferConversion_shopId_orderId_attributionKey_key" ON "OfferConversion"("shopId", "orderId", "attributionKey");

-- CreateIndex
CREATE INDEX "OfferTest_shopId_status_idx" ON "OfferTest"("shopId", "status");

