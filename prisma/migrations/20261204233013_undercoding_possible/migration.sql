-- AlterTable
ALTER TABLE "Practice" ADD COLUMN     "reviewAmbiguousNotes" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ServiceLine" ADD COLUMN     "undercodingPossible" "UndercodingDirection",
ADD COLUMN     "undercodingPossibleReason" TEXT;

-- The line columns are computed with the practice's reviewAmbiguousNotes (read with its pricing,
-- lib/server/pricing.ts): a change of it, like a change of locality, gives a new pricing version so
-- that no cached copy computes lines with the old setting.
CREATE OR REPLACE FUNCTION bump_pricing_version_on_locality() RETURNS trigger AS $$
BEGIN
  IF NEW."medicareLocality" IS DISTINCT FROM OLD."medicareLocality"
     OR NEW."reviewAmbiguousNotes" IS DISTINCT FROM OLD."reviewAmbiguousNotes" THEN
    NEW."pricingVersion" := nextval('pricing_version_seq');
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
