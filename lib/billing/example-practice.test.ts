// The end-to-end check of the rule book: every line of the example practice's visits export
// (e2e/fixtures/example-practice, computed by the rule owners) must match to the cent, and the
// KX queue built from those amounts must match the expected KX queue.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { feeSchedule2026, gpcis2026, readCsv } from "./cms-data.test-helper";
import { parseModifiers, poolOfLine } from "./codes";
import { type ContractRow, contractInForce, contractsFromRows, type MultipleProcedureRule } from "./contracts";
import { type ExpectedVisit, expectedAllowedForDay, type PayerKind } from "./expected";
import { formatDollars } from "./money";
import { compareThresholdLines, type ThresholdLine, thresholdCrossings, thresholdsFor } from "./thresholds";
import type { UnitMethod } from "./units";

const root = path.resolve(import.meta.dirname, "../..");
const fixtureDir = path.join(root, "e2e/fixtures/example-practice");
const PRACTICE_LOCALITY = "NY-01";

type Row = Record<string, string>;

function cents(dollars: string): number {
  const [whole = "0", fraction = ""] = dollars.trim().split(".");
  const sign = whole.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2)));
}

const dollars = formatDollars;

const feeSchedule = feeSchedule2026;
const gpcis = gpcis2026;

const contractRows = readCsv(path.join(fixtureDir, "contracts.csv")).map(
  (r): ContractRow => ({
    payer: r.payer ?? "",
    effectiveFrom: r.effective_from ?? "",
    effectiveTo: r.effective_to ? r.effective_to : null,
    unitMethod: r.unit_method as UnitMethod,
    multipleProcedureRule: r.multiple_procedure_rule as MultipleProcedureRule,
    cpt: r.cpt ?? "",
    modifier: r.modifier ? r.modifier : null,
    ratePerUnitCents: r.rate_per_unit ? cents(r.rate_per_unit) : null,
    percentOfMedicare: r.percent_of_medicare ? r.percent_of_medicare : null,
    medicareYear: r.medicare_year ? Number(r.medicare_year) : null,
    locality: r.locality ? r.locality : null,
    maxUnitsPerVisit: r.max_units_per_visit ? Number(r.max_units_per_visit) : null,
    lesserOfCharge: r.lesser_of_charge ? r.lesser_of_charge === "true" : true,
  }),
);
const { contracts, errors: contractErrors } = contractsFromRows(contractRows);

const visitRows = readCsv(path.join(fixtureDir, "visits.csv"));
const expectedRows = readCsv(path.join(fixtureDir, "expected-visits-export.csv"));

// Lines of one visit share visit_id; their order in the file is the line order.
const visits = new Map<string, Row[]>();
for (const row of visitRows) {
  const id = row.visit_id ?? "";
  const lines = visits.get(id);
  if (lines) lines.push(row);
  else visits.set(id, [row]);
}

interface ComputedLine {
  visitId: string;
  claimId: string;
  line: number;
  cpt: string;
  unitsBilled: number;
  unitsSupported: number;
  unitsFlag: string;
  expectedAllowed: string;
  row: Row;
}

// A patient's visits on one date are priced together (MPPR over the patient's whole day).
const days = new Map<string, string[]>();
for (const [visitId, lines] of visits) {
  const first = lines[0] as Row;
  const key = `${first.patient_id}|${first.date_of_service}`;
  days.set(key, [...(days.get(key) ?? []), visitId]);
}

const computed = new Map<string, ComputedLine>();
for (const visitIds of days.values()) {
  const first = (visits.get(visitIds[0] as string) as Row[])[0] as Row;
  const dateOfService = first.date_of_service ?? "";
  const results = expectedAllowedForDay({
    dateOfService,
    visits: visitIds.map((visitId) => {
      const lines = visits.get(visitId) as Row[];
      const head = lines[0] as Row;
      const payerKind = head.payer_kind as PayerKind;
      return {
        visitId,
        payerKind,
        lines: lines.map((row) => ({
          cpt: row.cpt ?? "",
          modifiers: parseModifiers(row.modifiers ?? ""),
          minutes: row.minutes ? Number(row.minutes) : null,
          unitsBilled: Number(row.units_billed),
          chargeCents: cents(row.charge ?? "0"),
        })),
        contract: payerKind === "medicare" ? null : contractInForce(contracts, head.payer ?? "", dateOfService),
      };
    }),
    feeSchedule,
    gpcis,
    practiceLocality: PRACTICE_LOCALITY,
  });
  visitIds.forEach((visitId, v) => {
    const lines = visits.get(visitId) as Row[];
    (results[v] as ExpectedVisit).lines.forEach((line, i) => {
      const row = lines[i] as Row;
      computed.set(`${visitId}|${i}`, {
        visitId,
        claimId: row.claim_id ?? "",
        line: i,
        cpt: line.cpt,
        unitsBilled: line.unitsBilled,
        unitsSupported: line.unitsSupported,
        unitsFlag: line.unitsFlag,
        expectedAllowed: line.expectedAllowedCents === null ? `(${line.notComputed})` : dollars(line.expectedAllowedCents),
        row,
      });
    });
  });
}

describe("example practice: visits export", () => {
  it("reads the fixture contracts without errors", () => {
    expect(contractErrors).toEqual([]);
    expect(contracts).toHaveLength(2);
  });

  it("has one computed line for every expected line", () => {
    expect(expectedRows.length).toBe(1009);
    expect(computed.size).toBe(expectedRows.length);
  });

  it("matches units_supported, units_flag and expected_allowed on every line, to the cent", () => {
    const mismatches: string[] = [];
    for (const expected of expectedRows) {
      const key = `${expected.visit_id}|${expected.line}`;
      const got = computed.get(key);
      if (!got) {
        mismatches.push(`${key}: no computed line`);
        continue;
      }
      const actual = {
        claim_id: got.claimId,
        cpt: got.cpt,
        units_billed: String(got.unitsBilled),
        units_supported: String(got.unitsSupported),
        units_flag: got.unitsFlag,
        expected_allowed: got.expectedAllowed,
      };
      const wanted = {
        claim_id: expected.claim_id,
        cpt: expected.cpt,
        units_billed: expected.units_billed,
        units_supported: expected.units_supported,
        units_flag: expected.units_flag,
        expected_allowed: expected.expected_allowed,
      };
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        mismatches.push(
          `${key} (${got.row.payer}, ${got.row.modifiers}, ${got.row.minutes} min, charge ${got.row.charge}): got ${JSON.stringify(actual)} want ${JSON.stringify(wanted)}`,
        );
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(mismatches.length).toBe(0);
  });
});

describe("example practice: KX queue from the expected amounts", () => {
  const expectedQueue = readCsv(path.join(fixtureDir, "expected-kx-queue.csv"));
  const usage = readCsv(path.join(fixtureDir, "usage.csv"));

  // Medicare lines per patient × year × pool, with their expected allowed amounts.
  const pools = new Map<string, ThresholdLine[]>();
  for (const line of computed.values()) {
    if (line.row.payer_kind !== "medicare") continue;
    const modifiers = parseModifiers(line.row.modifiers ?? "");
    const pool = poolOfLine(modifiers);
    if (!pool) continue;
    const key = `${line.row.patient_id}|${(line.row.date_of_service ?? "").slice(0, 4)}|${pool}`;
    const list = pools.get(key) ?? [];
    list.push({
      dateOfService: line.row.date_of_service ?? "",
      visitId: line.visitId,
      lineOrder: line.line,
      allowedCents: cents(line.expectedAllowed),
      modifiers,
    });
    pools.set(key, list);
  }

  it("gives every patient × pool its level, crossing dates and lines missing KX", () => {
    const actual = [...pools.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, lines]) => {
        const [patientId = "", yearText = "", pool = ""] = key.split("|");
        const year = Number(yearText);
        const levels = thresholdsFor(year);
        if (!levels.known) throw new Error(levels.reason);
        const used = usage.find((u) => u.patient_id === patientId && Number(u.year) === year && u.pool === pool);
        const usedElsewhereCents = used ? cents(used.amount ?? "0") : 0;
        const status = thresholdCrossings({
          usedElsewhereCents,
          lines: [...lines].sort(compareThresholdLines),
          alertLevelCents: levels.alertLevelCents,
          kxThresholdCents: levels.kxThresholdCents,
          reviewThresholdCents: levels.reviewThresholdCents,
        });
        return {
          patient_id: patientId,
          year: yearText,
          pool,
          allowed_here: dollars(status.allowedHereCents),
          used_elsewhere: dollars(status.usedElsewhereCents),
          total: dollars(status.totalCents),
          level: status.level,
          alert_crossed_on: status.crossings.alert?.dateOfService ?? "",
          kx_crossed_on: status.crossings.kx?.dateOfService ?? "",
          review_crossed_on: status.crossings.review?.dateOfService ?? "",
          lines_missing_kx: String(status.linesMissingKx.length),
        };
      });
    const wanted = expectedQueue.map(({ estimated: _estimated, ...rest }) => rest);
    expect(actual).toEqual(wanted);
  });
});
