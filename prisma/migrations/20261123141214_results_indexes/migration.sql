-- CreateIndex
CREATE INDEX "OfferEvent_shopId_type_createdAt_idx" ON "OfferEvent"("shopId", "type", "createdAt");

-- CreateIndex
CREATE INDEX "OfferConversion_shopId_createdAt_idx" ON "OfferConversion"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "EmailMessage_shopId_status_sentAt_idx" ON "EmailMessage"("shopId", "status", "sentAt");

