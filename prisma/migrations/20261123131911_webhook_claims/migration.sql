-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "claimedAt" DATETIME;

