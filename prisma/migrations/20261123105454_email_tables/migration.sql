-- CreateTable
CREATE TABLE "EmailSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "senderName" TEXT,
    "fromAddress" TEXT,
    "replyTo" TEXT,
    "logoUrl" TEXT,
    "brandColor" TEXT NOT NULL DEFAULT '#2c6ecb',
    "smtpHost" TEXT,
    "smtpPort" INTEGER NOT NULL DEFAULT 587,
    "smtpSecurity" TEXT NOT NULL DEFAULT 'starttls',
    "smtpUser" TEXT,
    "smtpPasswordEnc" TEXT,
    "trackingEnabled" BOOLEAN NOT NULL DEFAULT false,
    "types" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EmailMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "marketing" BOOLEAN NOT NULL DEFAULT false,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "messageId" TEXT,
    "sentAt" DATETIME,
    "openedAt" DATETIME,
    "clickedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "EmailSuppression" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "EmailMessage_shopId_createdAt_idx" ON "EmailMessage"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_shopId_kind_status_idx" ON "EmailMessage"("shopId", "kind", "status");

-- CreateIndex
CREATE INDEX "EmailMessage_customerId_createdAt_idx" ON "EmailMessage"("customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmailMessage_shopId_key_key" ON "EmailMessage"("shopId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "EmailSuppression_shopId_email_key" ON "EmailSuppression"("shopId", "email");

