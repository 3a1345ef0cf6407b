-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "claimedAt" TIMESTAMP(3);

