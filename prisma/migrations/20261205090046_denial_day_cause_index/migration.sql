-- CreateIndex
CREATE INDEX "DenialDay_practiceId_cause_day_idx" ON "DenialDay"("practiceId", "cause", "day");
