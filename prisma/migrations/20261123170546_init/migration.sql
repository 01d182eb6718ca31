-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'BILLER', 'MANAGER', 'ADMIN');

-- CreateEnum
CREATE TYPE "Credential" AS ENUM ('PT', 'PTA', 'OT', 'OTA', 'SLP');

-- CreateEnum
CREATE TYPE "PayerKind" AS ENUM ('medicare', 'medicare_advantage', 'commercial', 'medicaid', 'workers_comp', 'self_pay');

-- CreateEnum
CREATE TYPE "UnitMethod" AS ENUM ('cms', 'per_code');

-- CreateEnum
CREATE TYPE "MultipleProcedureRule" AS ENUM ('medicare_pe_50', 'whole_50', 'none');

-- CreateEnum
CREATE TYPE "Pool" AS ENUM ('PT_SLP', 'OT');

-- CreateEnum
CREATE TYPE "ThresholdLevel" AS ENUM ('below', 'alert', 'kx', 'review');

-- CreateEnum
CREATE TYPE "KxItemStatus" AS ENUM ('OPEN', 'SNOOZED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('VISITS', 'USAGE', 'CONTRACTS', 'REMIT_835', 'PAPER_EOB', 'FEE_SCHEDULE', 'GPCI');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('RUNNING', 'IMPORTED', 'DUPLICATE', 'REJECTED');

-- CreateEnum
CREATE TYPE "RemitSource" AS ENUM ('X12_835', 'PAPER_EOB');

-- CreateEnum
CREATE TYPE "MatchStatus" AS ENUM ('MATCHED', 'UNMATCHED');

-- CreateEnum
CREATE TYPE "AdjustmentLevel" AS ENUM ('CLAIM', 'LINE');

-- CreateEnum
CREATE TYPE "UnderpaymentStatus" AS ENUM ('OPEN', 'APPEALED', 'RECOVERED', 'WRITTEN_OFF');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('CONFIRMED', 'DISMISSED');

-- CreateTable
CREATE TABLE "Practice" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'America/New_York',
    "medicareLocality" TEXT NOT NULL,
    "alertLevelCents" INTEGER NOT NULL DEFAULT 200000,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Practice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Clinic" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Clinic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Therapist" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "clinicId" INTEGER,
    "npi" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credential" "Credential" NOT NULL,

    CONSTRAINT "Therapist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "birthDate" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payer" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "kind" "PayerKind" NOT NULL,
    "unitMethod" "UnitMethod" NOT NULL DEFAULT 'cms',
    "allowsTelehealth" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "Payer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Coverage" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "payerId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,

    CONSTRAINT "Coverage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "patientControlNumber" TEXT NOT NULL,
    "patientId" INTEGER NOT NULL,
    "payerId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Visit" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "patientId" INTEGER NOT NULL,
    "therapistId" INTEGER NOT NULL,
    "clinicId" INTEGER,
    "payerId" INTEGER NOT NULL,
    "claimId" INTEGER,
    "dateOfService" DATE NOT NULL,
    "placeOfService" TEXT NOT NULL DEFAULT '11',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceLine" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "visitId" INTEGER NOT NULL,
    "lineOrder" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "modifiers" TEXT[],
    "minutes" INTEGER,
    "unitsBilled" INTEGER NOT NULL,
    "chargeCents" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "unitsSupported" INTEGER,
    "unitsFlag" TEXT,
    "expectedAllowedCents" INTEGER,
    "expectedNote" TEXT,
    "pool" "Pool",
    "remitAllowedCents" INTEGER,

    CONSTRAINT "ServiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThresholdUsage" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "pool" "Pool" NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "asOf" DATE NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThresholdUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KxQueueItem" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "patientId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "pool" "Pool" NOT NULL,
    "allowedHereCents" INTEGER NOT NULL DEFAULT 0,
    "usedElsewhereCents" INTEGER NOT NULL DEFAULT 0,
    "totalCents" INTEGER NOT NULL DEFAULT 0,
    "level" "ThresholdLevel" NOT NULL DEFAULT 'below',
    "alertCrossedOn" DATE,
    "kxCrossedOn" DATE,
    "reviewCrossedOn" DATE,
    "linesMissingKx" INTEGER NOT NULL DEFAULT 0,
    "estimated" BOOLEAN NOT NULL DEFAULT true,
    "visitCount" INTEGER NOT NULL DEFAULT 0,
    "lastVisitOn" DATE,
    "urgency" INTEGER NOT NULL DEFAULT 9,
    "status" "KxItemStatus" NOT NULL DEFAULT 'OPEN',
    "assigneeId" INTEGER,
    "snoozedUntil" DATE,
    "docReviewedAt" TIMESTAMP(3),
    "docReviewNote" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KxQueueItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KxQueueAction" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "itemId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "note" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KxQueueAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contract" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "payerId" INTEGER NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "effectiveTo" DATE,
    "unitMethod" "UnitMethod" NOT NULL,
    "multipleProcedureRule" "MultipleProcedureRule" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContractRate" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "contractId" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "modifier" TEXT NOT NULL DEFAULT '',
    "ratePerUnitCents" INTEGER,
    "percentOfMedicare" DECIMAL(7,3),
    "medicareYear" INTEGER,
    "locality" TEXT,
    "maxUnitsPerVisit" INTEGER,
    "lesserOfCharge" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "ContractRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeeScheduleRow" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "modifier" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "workRvu" DECIMAL(8,3) NOT NULL,
    "nonFacilityPeRvu" DECIMAL(8,3) NOT NULL,
    "facilityPeRvu" DECIMAL(8,3) NOT NULL,
    "mpRvu" DECIMAL(8,3) NOT NULL,
    "multProcIndicator" TEXT NOT NULL,
    "conversionFactor" DECIMAL(9,4) NOT NULL,

    CONSTRAINT "FeeScheduleRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gpci" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "locality" TEXT NOT NULL,
    "mac" TEXT NOT NULL,
    "localityName" TEXT NOT NULL,
    "work" DECIMAL(6,3) NOT NULL,
    "pe" DECIMAL(6,3) NOT NULL,
    "mp" DECIMAL(6,3) NOT NULL,

    CONSTRAINT "Gpci_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NcciPair" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "column1" TEXT NOT NULL,
    "column2" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "NcciPair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CodeListEntry" (
    "list" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "CodeListEntry_pkey" PRIMARY KEY ("list","code")
);

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL,
    "counts" JSONB,
    "warnings" JSONB,
    "errors" JSONB,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemitFile" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "importJobId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RemitFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemitPayment" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "remitFileId" INTEGER,
    "source" "RemitSource" NOT NULL,
    "payerName" TEXT NOT NULL,
    "payerKey" TEXT NOT NULL,
    "payerId" INTEGER,
    "traceNumber" TEXT NOT NULL,
    "paymentCents" INTEGER NOT NULL,
    "method" TEXT,
    "paymentDate" DATE,
    "payeeName" TEXT,
    "payeeNpi" TEXT,
    "warnings" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RemitPayment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemitClaim" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "paymentId" INTEGER NOT NULL,
    "claimId" INTEGER,
    "patientId" INTEGER,
    "patientControlNumber" TEXT NOT NULL,
    "statusCode" TEXT NOT NULL,
    "chargeCents" INTEGER NOT NULL,
    "paidCents" INTEGER NOT NULL,
    "patientRespCents" INTEGER NOT NULL,
    "payerClaimNumber" TEXT,
    "patientName" TEXT,
    "memberId" TEXT,
    "matchStatus" "MatchStatus" NOT NULL,

    CONSTRAINT "RemitClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemitLine" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "remitClaimId" INTEGER NOT NULL,
    "serviceLineId" INTEGER,
    "lineOrder" INTEGER NOT NULL,
    "cpt" TEXT NOT NULL,
    "modifiers" TEXT[],
    "chargeCents" INTEGER NOT NULL,
    "paidCents" INTEGER NOT NULL,
    "allowedCents" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "serviceDate" DATE,
    "remarkCodes" TEXT[],
    "matchStatus" "MatchStatus" NOT NULL,
    "expectedAllowedCents" INTEGER,
    "varianceCents" INTEGER,
    "underpaymentStatus" "UnderpaymentStatus" NOT NULL DEFAULT 'OPEN',
    "statusNote" TEXT,
    "statusChangedAt" TIMESTAMP(3),
    "denialCause" TEXT,

    CONSTRAINT "RemitLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemitAdjustment" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "remitClaimId" INTEGER NOT NULL,
    "remitLineId" INTEGER,
    "level" "AdjustmentLevel" NOT NULL,
    "groupCode" TEXT NOT NULL,
    "reasonCode" TEXT NOT NULL,
    "amountCents" INTEGER NOT NULL,
    "quantity" DECIMAL(10,2),

    CONSTRAINT "RemitAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderAdjustment" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "paymentId" INTEGER NOT NULL,
    "providerId" TEXT NOT NULL,
    "fiscalDate" DATE,
    "reasonCode" TEXT NOT NULL,
    "reference" TEXT,
    "amountCents" INTEGER NOT NULL,

    CONSTRAINT "ProviderAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UndercodingReview" (
    "id" SERIAL NOT NULL,
    "practiceId" INTEGER NOT NULL,
    "serviceLineId" INTEGER NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "reason" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UndercodingReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "practiceId" INTEGER,
    "userId" INTEGER,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "patientId" INTEGER,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Practice_slug_key" ON "Practice"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_practiceId_userId_key" ON "Membership"("practiceId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Clinic_practiceId_name_key" ON "Clinic"("practiceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Therapist_practiceId_npi_key" ON "Therapist"("practiceId", "npi");

-- CreateIndex
CREATE INDEX "Patient_practiceId_lastName_firstName_idx" ON "Patient"("practiceId", "lastName", "firstName");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_practiceId_externalId_key" ON "Patient"("practiceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Payer_practiceId_nameKey_key" ON "Payer"("practiceId", "nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Coverage_practiceId_patientId_payerId_key" ON "Coverage"("practiceId", "patientId", "payerId");

-- CreateIndex
CREATE INDEX "Claim_practiceId_patientId_idx" ON "Claim"("practiceId", "patientId");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_practiceId_patientControlNumber_key" ON "Claim"("practiceId", "patientControlNumber");

-- CreateIndex
CREATE INDEX "Visit_practiceId_dateOfService_idx" ON "Visit"("practiceId", "dateOfService");

-- CreateIndex
CREATE INDEX "Visit_practiceId_patientId_dateOfService_idx" ON "Visit"("practiceId", "patientId", "dateOfService");

-- CreateIndex
CREATE INDEX "Visit_practiceId_therapistId_dateOfService_idx" ON "Visit"("practiceId", "therapistId", "dateOfService");

-- CreateIndex
CREATE UNIQUE INDEX "Visit_practiceId_externalId_key" ON "Visit"("practiceId", "externalId");

-- CreateIndex
CREATE INDEX "ServiceLine_practiceId_cpt_idx" ON "ServiceLine"("practiceId", "cpt");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceLine_visitId_lineOrder_key" ON "ServiceLine"("visitId", "lineOrder");

-- CreateIndex
CREATE UNIQUE INDEX "ThresholdUsage_practiceId_patientId_year_pool_key" ON "ThresholdUsage"("practiceId", "patientId", "year", "pool");

-- CreateIndex
CREATE INDEX "KxQueueItem_practiceId_year_urgency_totalCents_idx" ON "KxQueueItem"("practiceId", "year", "urgency", "totalCents");

-- CreateIndex
CREATE UNIQUE INDEX "KxQueueItem_practiceId_patientId_year_pool_key" ON "KxQueueItem"("practiceId", "patientId", "year", "pool");

-- CreateIndex
CREATE INDEX "KxQueueAction_practiceId_itemId_idx" ON "KxQueueAction"("practiceId", "itemId");

-- CreateIndex
CREATE UNIQUE INDEX "Contract_practiceId_payerId_effectiveFrom_key" ON "Contract"("practiceId", "payerId", "effectiveFrom");

-- CreateIndex
CREATE UNIQUE INDEX "ContractRate_contractId_cpt_modifier_key" ON "ContractRate"("contractId", "cpt", "modifier");

-- CreateIndex
CREATE UNIQUE INDEX "FeeScheduleRow_practiceId_year_cpt_modifier_key" ON "FeeScheduleRow"("practiceId", "year", "cpt", "modifier");

-- CreateIndex
CREATE UNIQUE INDEX "Gpci_practiceId_year_locality_key" ON "Gpci"("practiceId", "year", "locality");

-- CreateIndex
CREATE UNIQUE INDEX "NcciPair_practiceId_column1_column2_key" ON "NcciPair"("practiceId", "column1", "column2");

-- CreateIndex
CREATE INDEX "ImportJob_practiceId_kind_sha256_idx" ON "ImportJob"("practiceId", "kind", "sha256");

-- CreateIndex
CREATE INDEX "ImportJob_practiceId_createdAt_idx" ON "ImportJob"("practiceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RemitFile_importJobId_key" ON "RemitFile"("importJobId");

-- CreateIndex
CREATE UNIQUE INDEX "RemitFile_practiceId_sha256_key" ON "RemitFile"("practiceId", "sha256");

-- CreateIndex
CREATE INDEX "RemitPayment_practiceId_paymentDate_idx" ON "RemitPayment"("practiceId", "paymentDate");

-- CreateIndex
CREATE UNIQUE INDEX "RemitPayment_practiceId_payerKey_traceNumber_key" ON "RemitPayment"("practiceId", "payerKey", "traceNumber");

-- CreateIndex
CREATE INDEX "RemitClaim_practiceId_claimId_idx" ON "RemitClaim"("practiceId", "claimId");

-- CreateIndex
CREATE INDEX "RemitClaim_practiceId_matchStatus_idx" ON "RemitClaim"("practiceId", "matchStatus");

-- CreateIndex
CREATE INDEX "RemitLine_practiceId_serviceLineId_idx" ON "RemitLine"("practiceId", "serviceLineId");

-- CreateIndex
CREATE INDEX "RemitLine_practiceId_serviceDate_idx" ON "RemitLine"("practiceId", "serviceDate");

-- CreateIndex
CREATE INDEX "RemitLine_practiceId_varianceCents_idx" ON "RemitLine"("practiceId", "varianceCents");

-- CreateIndex
CREATE INDEX "RemitAdjustment_practiceId_reasonCode_idx" ON "RemitAdjustment"("practiceId", "reasonCode");

-- CreateIndex
CREATE INDEX "RemitAdjustment_remitLineId_idx" ON "RemitAdjustment"("remitLineId");

-- CreateIndex
CREATE INDEX "ProviderAdjustment_practiceId_paymentId_idx" ON "ProviderAdjustment"("practiceId", "paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "UndercodingReview_serviceLineId_key" ON "UndercodingReview"("serviceLineId");

-- CreateIndex
CREATE INDEX "AuditEvent_practiceId_createdAt_idx" ON "AuditEvent"("practiceId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_practiceId_patientId_idx" ON "AuditEvent"("practiceId", "patientId");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Clinic" ADD CONSTRAINT "Clinic_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Therapist" ADD CONSTRAINT "Therapist_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Therapist" ADD CONSTRAINT "Therapist_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Patient" ADD CONSTRAINT "Patient_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payer" ADD CONSTRAINT "Payer_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coverage" ADD CONSTRAINT "Coverage_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coverage" ADD CONSTRAINT "Coverage_payerId_fkey" FOREIGN KEY ("payerId") REFERENCES "Payer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_payerId_fkey" FOREIGN KEY ("payerId") REFERENCES "Payer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_therapistId_fkey" FOREIGN KEY ("therapistId") REFERENCES "Therapist"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_clinicId_fkey" FOREIGN KEY ("clinicId") REFERENCES "Clinic"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_payerId_fkey" FOREIGN KEY ("payerId") REFERENCES "Payer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceLine" ADD CONSTRAINT "ServiceLine_visitId_fkey" FOREIGN KEY ("visitId") REFERENCES "Visit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ThresholdUsage" ADD CONSTRAINT "ThresholdUsage_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KxQueueItem" ADD CONSTRAINT "KxQueueItem_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KxQueueItem" ADD CONSTRAINT "KxQueueItem_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KxQueueAction" ADD CONSTRAINT "KxQueueAction_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "KxQueueItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contract" ADD CONSTRAINT "Contract_payerId_fkey" FOREIGN KEY ("payerId") REFERENCES "Payer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContractRate" ADD CONSTRAINT "ContractRate_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "Contract"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportJob" ADD CONSTRAINT "ImportJob_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitFile" ADD CONSTRAINT "RemitFile_importJobId_fkey" FOREIGN KEY ("importJobId") REFERENCES "ImportJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitPayment" ADD CONSTRAINT "RemitPayment_remitFileId_fkey" FOREIGN KEY ("remitFileId") REFERENCES "RemitFile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitClaim" ADD CONSTRAINT "RemitClaim_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "RemitPayment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitClaim" ADD CONSTRAINT "RemitClaim_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitLine" ADD CONSTRAINT "RemitLine_remitClaimId_fkey" FOREIGN KEY ("remitClaimId") REFERENCES "RemitClaim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitLine" ADD CONSTRAINT "RemitLine_serviceLineId_fkey" FOREIGN KEY ("serviceLineId") REFERENCES "ServiceLine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitAdjustment" ADD CONSTRAINT "RemitAdjustment_remitClaimId_fkey" FOREIGN KEY ("remitClaimId") REFERENCES "RemitClaim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemitAdjustment" ADD CONSTRAINT "RemitAdjustment_remitLineId_fkey" FOREIGN KEY ("remitLineId") REFERENCES "RemitLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderAdjustment" ADD CONSTRAINT "ProviderAdjustment_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "RemitPayment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UndercodingReview" ADD CONSTRAINT "UndercodingReview_serviceLineId_fkey" FOREIGN KEY ("serviceLineId") REFERENCES "ServiceLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_practiceId_fkey" FOREIGN KEY ("practiceId") REFERENCES "Practice"("id") ON DELETE SET NULL ON UPDATE CASCADE;
