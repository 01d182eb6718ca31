-- CreateIndex
CREATE INDEX "UnderpaymentDay_practiceId_payerId_dateOfService_idx" ON "UnderpaymentDay"("practiceId", "payerId", "dateOfService");
