-- CreateTable
CREATE TABLE "SatisfactionSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "surveyEnabled" BOOLEAN NOT NULL DEFAULT true,
    "scale" TEXT NOT NULL DEFAULT 'csat',
    "question" TEXT NOT NULL DEFAULT 'How satisfied are you with your order?',
    "commentEnabled" BOOLEAN NOT NULL DEFAULT true,
    "sourceQuestionEnabled" BOOLEAN NOT NULL DEFAULT false,
    "sourceQuestion" TEXT NOT NULL DEFAULT 'How did you hear about us?',
    "sourceOptions" TEXT NOT NULL DEFAULT '[]',
    "pointsForAnswer" INTEGER NOT NULL DEFAULT 0,
    "lowScoreThreshold" INTEGER NOT NULL DEFAULT 2,
    "notifyEmail" TEXT,
    "returnsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "returnWindowDays" INTEGER NOT NULL DEFAULT 30,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "customerShopifyId" TEXT,
    "scale" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "source" TEXT,
    "products" TEXT NOT NULL DEFAULT '[]',
    "channel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InboxItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "sourceKey" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerId" TEXT,
    "customerShopifyId" TEXT,
    "customerEmail" TEXT,
    "customerName" TEXT,
    "score" INTEGER,
    "summary" TEXT NOT NULL,
    "items" TEXT NOT NULL DEFAULT '[]',
    "returnRequestId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "InboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "itemId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "emailTo" TEXT,
    "actor" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InboxMessage_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "InboxItem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReturnRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT,
    "customerShopifyId" TEXT,
    "customerEmail" TEXT,
    "resolution" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "lines" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "declineReason" TEXT,
    "shopifyReturnId" TEXT,
    "shopifyReturnName" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "SurveyResponse_shopId_createdAt_idx" ON "SurveyResponse"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_shopId_orderId_key" ON "SurveyResponse"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "InboxItem_shopId_status_createdAt_idx" ON "InboxItem"("shopId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "InboxItem_shopId_kind_createdAt_idx" ON "InboxItem"("shopId", "kind", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboxItem_shopId_sourceKey_key" ON "InboxItem"("shopId", "sourceKey");

-- CreateIndex
CREATE INDEX "InboxMessage_itemId_createdAt_idx" ON "InboxMessage"("itemId", "createdAt");

-- CreateIndex
CREATE INDEX "ReturnRequest_shopId_orderId_idx" ON "ReturnRequest"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "ReturnRequest_shopId_status_createdAt_idx" ON "ReturnRequest"("shopId", "status", "createdAt");

