-- CreateIndex
CREATE INDEX "RemitClaim_paymentId_idx" ON "RemitClaim"("paymentId");

-- CreateIndex
CREATE INDEX "RemitLine_remitClaimId_matchStatus_idx" ON "RemitLine"("remitClaimId", "matchStatus");

-- CreateIndex
CREATE INDEX "RemitAdjustment_remitClaimId_idx" ON "RemitAdjustment"("remitClaimId");
