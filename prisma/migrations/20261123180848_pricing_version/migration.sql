-- AlterTable
ALTER TABLE "Practice" ADD COLUMN     "pricingVersion" BIGINT NOT NULL DEFAULT 0;

-- Any change to a practice's pricing data gives the practice a new pricing version. The
-- values come from a sequence, which never hands out a number twice even when the
-- transaction that took it rolls back, so a cached version can only mean committed data.
CREATE SEQUENCE IF NOT EXISTS pricing_version_seq;

CREATE OR REPLACE FUNCTION bump_pricing_version() RETURNS trigger AS $$
BEGIN
  UPDATE "Practice" SET "pricingVersion" = nextval('pricing_version_seq')
  WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD."practiceId" ELSE NEW."practiceId" END);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER fee_schedule_pricing_version AFTER INSERT OR UPDATE OR DELETE ON "FeeScheduleRow" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version();
CREATE TRIGGER gpci_pricing_version AFTER INSERT OR UPDATE OR DELETE ON "Gpci" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version();
CREATE TRIGGER payer_pricing_version AFTER INSERT OR UPDATE OR DELETE ON "Payer" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version();
CREATE TRIGGER contract_pricing_version AFTER INSERT OR UPDATE OR DELETE ON "Contract" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version();
CREATE TRIGGER contract_rate_pricing_version AFTER INSERT OR UPDATE OR DELETE ON "ContractRate" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version();

CREATE OR REPLACE FUNCTION bump_pricing_version_on_locality() RETURNS trigger AS $$
BEGIN
  IF NEW."medicareLocality" IS DISTINCT FROM OLD."medicareLocality" THEN
    NEW."pricingVersion" := nextval('pricing_version_seq');
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER practice_locality_pricing_version BEFORE UPDATE ON "Practice" FOR EACH ROW EXECUTE FUNCTION bump_pricing_version_on_locality();
