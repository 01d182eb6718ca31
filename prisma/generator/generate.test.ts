// The demo-data generator: deterministic, in the formats of docs/formats.md, realistic where
// the app's features need it (threshold crossings, missing KX, unit noise), and with 835
// files that balance and agree with the visit rows.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { isTimedCode, parseModifiers, poolOfLine, type TherapyPool } from "../../lib/billing/codes";
import { contractInForce, contractRateFor, contractsFromRows, type ContractRow } from "../../lib/billing/contracts";
import { expectedAllowedForVisit, type PayerKind } from "../../lib/billing/expected";
import { DEFAULT_ALERT_LEVEL_CENTS, thresholdsFor } from "../../lib/billing/thresholds";
import { unitsByEightMinuteRule, type UnitMethod } from "../../lib/billing/units";
import {
  CONTRACT_COLUMNS,
  generatePractice,
  type PracticeData,
  streamPracticeFiles,
  streamVisitRows,
  USAGE_COLUMNS,
  VISIT_COLUMNS,
  type VisitRow,
  writePracticeFiles,
} from "./generate";
import { npiCheckDigit } from "./names";
import { loadReferenceData } from "./reference";

const root = path.resolve(import.meta.dirname, "../..");
const reference = loadReferenceData();
const LOCALITY = "NY-01";

const practice = generatePractice();

function cents(dollars: string): number {
  const negative = dollars.startsWith("-");
  const [whole = "0", fraction = ""] = dollars.replace("-", "").split(".");
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  return negative ? -value : value;
}

function visitsOf(rows: readonly VisitRow[]): VisitRow[][] {
  const visits: VisitRow[][] = [];
  let current: VisitRow[] = [];
  for (const row of rows) {
    if (current.length > 0 && current[0]?.visit_id !== row.visit_id) {
      visits.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) visits.push(current);
  return visits;
}

function contractRows(data: PracticeData): ContractRow[] {
  return data.contractsCsvRows.map((r) => ({
    payer: r.payer,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to || null,
    unitMethod: r.unit_method as UnitMethod,
    multipleProcedureRule: r.multiple_procedure_rule as ContractRow["multipleProcedureRule"],
    cpt: r.cpt,
    modifier: r.modifier || null,
    ratePerUnitCents: r.rate_per_unit ? cents(r.rate_per_unit) : null,
    percentOfMedicare: r.percent_of_medicare || null,
    medicareYear: r.medicare_year ? Number(r.medicare_year) : null,
    locality: r.locality || null,
    maxUnitsPerVisit: r.max_units_per_visit ? Number(r.max_units_per_visit) : null,
    lesserOfCharge: r.lesser_of_charge !== "false",
  }));
}

// --- a small 835 reader for the checks (separators from the ISA segment) -----------------

interface ParsedLine {
  procedure: string[];
  chargeCents: number;
  paidCents: number;
  units: number;
  date: string;
  cas: { group: string; reason: string; amountCents: number }[];
  allowedCents: number | null;
  remarks: string[];
}
interface ParsedClaim {
  id: string;
  status: string;
  chargeCents: number;
  paidCents: number;
  patientCents: number;
  lines: ParsedLine[];
}
interface ParsedFile {
  bprCents: number;
  plbCents: number;
  claims: ParsedClaim[];
  seCount: number;
  segmentsInTransaction: number;
  controls: { isa: string; iea: string; gs: string; ge: string };
}

function read835(text: string): ParsedFile {
  const element = text.charAt(3);
  const component = text.charAt(104);
  const terminator = text.charAt(105);
  const segments = text
    .split(terminator)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => s.split(element));
  const file: ParsedFile = {
    bprCents: 0,
    plbCents: 0,
    claims: [],
    seCount: 0,
    segmentsInTransaction: 0,
    controls: { isa: "", iea: "", gs: "", ge: "" },
  };
  let claim: ParsedClaim | null = null;
  let line: ParsedLine | null = null;
  let inTransaction = false;
  for (const e of segments) {
    const id = e[0];
    if (id === "ST") inTransaction = true;
    if (inTransaction) file.segmentsInTransaction += 1;
    switch (id) {
      case "ISA":
        file.controls.isa = e[13] ?? "";
        break;
      case "IEA":
        file.controls.iea = e[2] ?? "";
        break;
      case "GS":
        file.controls.gs = e[6] ?? "";
        break;
      case "GE":
        file.controls.ge = e[2] ?? "";
        break;
      case "SE":
        file.seCount = Number(e[1]);
        inTransaction = false;
        break;
      case "BPR":
        file.bprCents = cents(e[2] ?? "0");
        break;
      case "PLB":
        for (let i = 3; i + 1 < e.length; i += 2) file.plbCents += cents(e[i + 1] ?? "0");
        break;
      case "CLP":
        claim = {
          id: e[1] ?? "",
          status: e[2] ?? "",
          chargeCents: cents(e[3] ?? "0"),
          paidCents: cents(e[4] ?? "0"),
          patientCents: cents(e[5] ?? "0"),
          lines: [],
        };
        file.claims.push(claim);
        line = null;
        break;
      case "SVC":
        line = {
          procedure: (e[1] ?? "").split(component),
          chargeCents: cents(e[2] ?? "0"),
          paidCents: cents(e[3] ?? "0"),
          units: Number(e[5] ?? "1"),
          date: "",
          cas: [],
          allowedCents: null,
          remarks: [],
        };
        claim?.lines.push(line);
        break;
      case "DTM":
        if (e[1] === "472" && line) line.date = `${e[2]?.slice(0, 4)}-${e[2]?.slice(4, 6)}-${e[2]?.slice(6, 8)}`;
        break;
      case "CAS":
        for (let i = 2; i + 1 < e.length; i += 3) {
          if (!e[i]) continue;
          line?.cas.push({ group: e[1] ?? "", reason: e[i] ?? "", amountCents: cents(e[i + 1] ?? "0") });
        }
        break;
      case "AMT":
        if (e[1] === "B6" && line) line.allowedCents = cents(e[2] ?? "0");
        break;
      case "LQ":
        line?.remarks.push(e[2] ?? "");
        break;
    }
  }
  return file;
}

// --------------------------------------------------------------------------------------------

describe("generator: determinism and files", () => {
  it("gives identical output for the same seed and different output for another seed", () => {
    const a = generatePractice({ patients: 40, seed: 7 });
    const b = generatePractice({ patients: 40, seed: 7 });
    const c = generatePractice({ patients: 40, seed: 8 });
    expect(b).toEqual(a);
    expect(c.visitRows).not.toEqual(a.visitRows);
  });

  it("default practice is the same on a second run", () => {
    const again = generatePractice();
    expect(again.visitRows).toEqual(practice.visitRows);
    expect(again.remits).toEqual(practice.remits);
    expect(again.summary).toEqual(practice.summary);
  });

  it("streams the same visit rows and writes byte-identical files either way", () => {
    const options = { patients: 60, seed: 11 };
    const data = generatePractice(options);
    const streamed: VisitRow[] = [];
    streamVisitRows(options, (row) => streamed.push(row));
    expect(streamed).toEqual(data.visitRows);

    const dir = mkdtempSync(path.join(tmpdir(), "practice-gen-"));
    try {
      writePracticeFiles(path.join(dir, "memory"), data);
      const meta = streamPracticeFiles(path.join(dir, "stream"), options);
      expect(meta.summary).toEqual(data.summary);
      const memoryFiles = readdirSync(path.join(dir, "memory")).sort();
      expect(readdirSync(path.join(dir, "stream")).sort()).toEqual(memoryFiles);
      for (const file of memoryFiles) {
        expect(readFileSync(path.join(dir, "stream", file), "utf8"), file).toBe(readFileSync(path.join(dir, "memory", file), "utf8"));
      }
      // The written CSVs read back with the columns of docs/formats.md.
      const visits = parse(readFileSync(path.join(dir, "memory", "visits.csv"), "utf8"), { columns: true }) as VisitRow[];
      expect(visits).toEqual(data.visitRows);
      const usageHeader = readFileSync(path.join(dir, "memory", "usage.csv"), "utf8").split("\n")[0];
      expect(usageHeader).toBe(USAGE_COLUMNS.join(","));
      const contractsHeader = readFileSync(path.join(dir, "memory", "contracts.csv"), "utf8").split("\n")[0];
      expect(contractsHeader).toBe(CONTRACT_COLUMNS.join(","));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes the visits.csv columns of docs/formats.md, in that order", () => {
    const formats = readFileSync(path.join(root, "docs/formats.md"), "utf8");
    const section = formats.slice(formats.indexOf("## visits.csv"), formats.indexOf("## usage.csv"));
    const columns = section
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| column"))
      .flatMap((line) => (line.split("|")[1] ?? "").split(",").map((c) => c.trim()));
    expect([...VISIT_COLUMNS]).toEqual(columns);
  });
});

describe("generator: the default practice", () => {
  const rows = practice.visitRows;
  const visits = visitsOf(rows);

  it("has the requested shape: 300 patients, 2 clinics, 8 therapists, six payers", () => {
    expect(practice.summary.patients).toBe(300);
    expect(new Set(rows.map((r) => r.patient_id)).size).toBeGreaterThan(290);
    expect(practice.clinics).toHaveLength(2);
    expect(practice.therapists).toHaveLength(8);
    expect(new Set(practice.therapists.map((t) => t.credential))).toEqual(new Set(["PT", "PTA", "OT", "OTA", "SLP"]));
    for (const npi of [...practice.therapists.map((t) => t.npi), practice.practice.npi]) {
      expect(npi).toMatch(/^\d{10}$/);
      expect(Number(npi[9])).toBe(npiCheckDigit(npi.slice(0, 9)));
    }
    expect(npiCheckDigit("123456789")).toBe(3); // CMS's published example NPI 1234567893
    const medicare = new Set(rows.filter((r) => r.payer_kind === "medicare").map((r) => r.patient_id)).size;
    expect(medicare / practice.summary.patients).toBeGreaterThan(0.5);
    expect(medicare / practice.summary.patients).toBeLessThan(0.7);
    expect(new Set(rows.map((r) => `${r.payer}|${r.payer_kind}`))).toEqual(new Set(practice.payers.map((p) => `${p.name}|${p.kind}`)));
    expect(rows.every((r) => r.date_of_service >= "2026-01-01" && r.date_of_service <= "2026-11-20")).toBe(true);
  });

  it("keeps visit and claim ids unique and in date order per patient", () => {
    const ids = visits.map((v) => v[0]?.visit_id);
    expect(new Set(ids).size).toBe(ids.length);
    const claims = visits.map((v) => v[0]?.claim_id);
    expect(new Set(claims).size).toBe(claims.length);
    for (let i = 1; i < visits.length; i++) {
      const a = visits[i - 1]?.[0] as VisitRow;
      const b = visits[i]?.[0] as VisitRow;
      if (a.patient_id === b.patient_id) expect(a.date_of_service <= b.date_of_service).toBe(true);
    }
  });

  it("gives Medicare patients a 65+ birth date and an MBI-shaped member id", () => {
    for (const r of rows.filter((row) => row.payer_kind === "medicare")) {
      expect(r.birth_date <= "1961-01-01").toBe(true);
      expect(r.member_id).toMatch(
        /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}$/,
      );
    }
  });

  it("puts the discipline and assistant modifiers on lines, never KX with GA, at most 4 modifiers", () => {
    const discipline: Record<string, string> = { PT: "GP", PTA: "GP", OT: "GO", OTA: "GO", SLP: "GN" };
    let missingDiscipline = 0;
    for (const r of rows) {
      const mods = parseModifiers(r.modifiers);
      expect(mods.length).toBeLessThanOrEqual(4);
      expect(mods.includes("KX") && mods.includes("GA")).toBe(false);
      if (!mods.includes(discipline[r.therapist_credential] as string)) missingDiscipline += 1;
      if (r.therapist_credential === "PTA") expect(mods).toContain("CQ");
      if (r.therapist_credential === "OTA") expect(mods).toContain("CO");
      expect(mods.includes("95")).toBe(r.place_of_service === "02");
      expect(isTimedCode(r.cpt) ? r.minutes !== "" : r.minutes === "").toBe(true);
    }
    // A handful of billing errors, no more.
    expect(missingDiscipline).toBeGreaterThan(0);
    expect(missingDiscipline / rows.length).toBeLessThan(0.01);
  });

  it("bills Medicare timed units by the 8-minute rule, a few percent over or under", () => {
    let timed = 0;
    let off = 0;
    for (const visit of visits.filter((v) => v[0]?.payer_kind === "medicare")) {
      const units = unitsByEightMinuteRule(
        visit.map((r) => ({ cpt: r.cpt, minutes: r.minutes === "" ? null : Number(r.minutes), unitsBilled: Number(r.units_billed) })),
        "cms",
      );
      visit.forEach((r, i) => {
        const billed = Number(r.units_billed);
        expect(billed).toBeGreaterThanOrEqual(1);
        if (!isTimedCode(r.cpt)) {
          expect(billed).toBe(1);
          return;
        }
        timed += 1;
        const minutes = Number(r.minutes);
        expect(minutes).toBeGreaterThan(0);
        expect(minutes).toBeLessThanOrEqual(90);
        expect(billed).toBeLessThanOrEqual(Math.ceil(minutes / 15) + 1);
        const supported = units.lines[i]?.unitsSupported ?? 0;
        expect(Math.abs(billed - supported)).toBeLessThanOrEqual(1);
        if (billed !== supported) off += 1;
      });
    }
    expect(timed).toBeGreaterThan(1000);
    expect(off / timed).toBeGreaterThan(0.01);
    expect(off / timed).toBeLessThan(0.07);
  });

  it("has at least ten Medicare patients crossing $2,000, the KX threshold and $3,000, with KX mostly placed and some missing", () => {
    // Recompute the thresholds independently from the rows, the usage file and lib/billing.
    const thresholds = thresholdsFor(2026);
    if (!thresholds.known) throw new Error("no 2026 thresholds");
    const used = new Map(practice.usageRows.map((u) => [`${u.patient_id}|${u.pool}`, cents(u.amount)]));
    const pools = new Map<string, { running: number; kxFrom: boolean; crossed: Set<string> }>();
    let missing = 0;
    let withGa = 0;
    let kxAfterCrossing = 0;
    let needing = 0;
    for (const visit of visits.filter((v) => v[0]?.payer_kind === "medicare")) {
      const first = visit[0] as VisitRow;
      const expected = expectedAllowedForVisit({
        dateOfService: first.date_of_service,
        payerKind: "medicare",
        lines: visit.map((r) => ({
          cpt: r.cpt,
          modifiers: parseModifiers(r.modifiers),
          minutes: r.minutes === "" ? null : Number(r.minutes),
          unitsBilled: Number(r.units_billed),
          chargeCents: cents(r.charge),
        })),
        contract: null,
        feeSchedule: reference.feeSchedule,
        gpcis: reference.gpcis,
        practiceLocality: LOCALITY,
      });
      visit.forEach((r, i) => {
        const mods = parseModifiers(r.modifiers);
        const pool: TherapyPool | null = poolOfLine(mods);
        if (!pool) return;
        const key = `${r.patient_id}|${pool}`;
        let track = pools.get(key);
        if (!track) {
          track = { running: used.get(key) ?? 0, kxFrom: false, crossed: new Set() };
          pools.set(key, track);
        }
        track.running += expected.lines[i]?.expectedAllowedCents ?? 0;
        if (track.running > DEFAULT_ALERT_LEVEL_CENTS) track.crossed.add("alert");
        if (track.running > thresholds.kxThresholdCents) {
          track.crossed.add("kx");
          track.kxFrom = true;
        }
        if (track.running > thresholds.reviewThresholdCents) track.crossed.add("review");
        if (track.kxFrom) {
          needing += 1;
          if (mods.includes("KX")) kxAfterCrossing += 1;
          else if (mods.includes("GA")) withGa += 1;
          else missing += 1;
        }
      });
    }
    const patientsCrossing = (level: string) =>
      new Set([...pools.entries()].filter(([, t]) => t.crossed.has(level)).map(([k]) => k.split("|")[0])).size;
    expect(patientsCrossing("alert")).toBeGreaterThanOrEqual(10);
    expect(patientsCrossing("kx")).toBeGreaterThanOrEqual(10);
    expect(patientsCrossing("review")).toBeGreaterThanOrEqual(10);
    expect(practice.summary.medicarePatientsCrossing).toEqual({
      alert: patientsCrossing("alert"),
      kx: patientsCrossing("kx"),
      review: patientsCrossing("review"),
    });
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBe(practice.summary.linesMissingKx);
    expect(withGa).toBeGreaterThan(0);
    expect(kxAfterCrossing / needing).toBeGreaterThan(0.8);
    // Amounts used elsewhere: a few rows in the usage.csv format.
    expect(practice.usageRows.length).toBeGreaterThanOrEqual(3);
    for (const u of practice.usageRows) {
      expect(u.pool === "PT_SLP" || u.pool === "OT").toBe(true);
      expect(["MAC portal", "eligibility response"]).toContain(u.source);
      expect(u.amount).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it("has contracts that price every line billed to a contract payer", () => {
    const { contracts, errors } = contractsFromRows(contractRows(practice));
    expect(errors).toEqual([]);
    const bcbs = contracts.find((c) => c.payer === "Blue Cross Blue Shield");
    expect(contractRateFor(bcbs as NonNullable<typeof bcbs>, "97530", [])?.maxUnitsPerVisit).toBe(4);
    for (const visit of visits.filter((v) => v[0]?.payer_kind !== "medicare")) {
      const first = visit[0] as VisitRow;
      const contract = contractInForce(contracts, first.payer, first.date_of_service);
      expect(contract, `${first.payer} ${first.date_of_service}`).not.toBeNull();
      const expected = expectedAllowedForVisit({
        dateOfService: first.date_of_service,
        payerKind: first.payer_kind as PayerKind,
        lines: visit.map((r) => ({
          cpt: r.cpt,
          modifiers: parseModifiers(r.modifiers),
          minutes: r.minutes === "" ? null : Number(r.minutes),
          unitsBilled: Number(r.units_billed),
          chargeCents: cents(r.charge),
        })),
        contract,
        feeSchedule: reference.feeSchedule,
        gpcis: reference.gpcis,
        practiceLocality: LOCALITY,
      });
      expect(expected.complete, `${first.visit_id} ${first.payer}`).toBe(true);
    }
  });

  it("writes notes in both directions of the 97110 / 97530 question, and some empty ones", () => {
    const functional = /\b(simulat\w*|transfer\w*|carry\w*|retriev\w*|navigat\w*|negotiat\w*|lift\w*)\b/i;
    const exercise = /\b(strengthen\w*|stretch\w*|\d+x\d+|ROM)\b/i;
    const notes97110 = rows.filter((r) => r.cpt === "97110" && r.note !== "");
    const notes97530 = rows.filter((r) => r.cpt === "97530" && r.note !== "");
    expect(notes97110.filter((r) => functional.test(r.note)).length).toBeGreaterThanOrEqual(10);
    expect(notes97110.filter((r) => exercise.test(r.note)).length).toBeGreaterThan(notes97110.length / 2);
    expect(notes97530.filter((r) => exercise.test(r.note)).length).toBeGreaterThanOrEqual(10);
    expect(notes97530.filter((r) => functional.test(r.note)).length).toBeGreaterThan(notes97530.length / 2);
    expect(rows.filter((r) => r.note === "").length).toBeGreaterThan(rows.length * 0.03);
  });
});

describe("generator: 835 remits", () => {
  const rows = practice.visitRows;
  const linesByClaim = new Map<string, VisitRow[]>();
  for (const r of rows) {
    const list = linesByClaim.get(r.claim_id);
    if (list) list.push(r);
    else linesByClaim.set(r.claim_id, [r]);
  }
  const files = practice.remits.map((r) => ({ name: r.fileName, parsed: read835(r.content) }));

  it("splits remits by payer and month into several files", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const slug of ["medicare", "humana-ma", "bcbs", "uhc", "aetna", "medicaid"]) {
      expect(files.filter((f) => f.name.startsWith(`remit-${slug}-`)).length, slug).toBeGreaterThanOrEqual(1);
    }
  });

  it("balances every line, claim and file and keeps the envelope counts right", () => {
    let plbFiles = 0;
    for (const { name, parsed } of files) {
      let paid = 0;
      for (const claim of parsed.claims) {
        let charge = 0;
        let linePaid = 0;
        let adjustments = 0;
        let patient = 0;
        for (const line of claim.lines) {
          const cas = line.cas.reduce((s, a) => s + a.amountCents, 0);
          expect(line.chargeCents - cas, `${name} ${claim.id} ${line.procedure.join(":")}`).toBe(line.paidCents);
          charge += line.chargeCents;
          linePaid += line.paidCents;
          adjustments += cas;
          patient += line.cas.filter((a) => a.group === "PR").reduce((s, a) => s + a.amountCents, 0);
          expect(line.cas.length).toBeGreaterThan(0);
        }
        expect(claim.chargeCents).toBe(charge);
        expect(claim.paidCents).toBe(linePaid);
        expect(claim.chargeCents - adjustments).toBe(claim.paidCents);
        expect(claim.patientCents).toBe(patient);
        paid += claim.paidCents;
      }
      expect(parsed.bprCents, name).toBe(paid - parsed.plbCents);
      if (parsed.plbCents !== 0) plbFiles += 1;
      expect(parsed.seCount, name).toBe(parsed.segmentsInTransaction);
      expect(Number(parsed.controls.iea)).toBe(Number(parsed.controls.isa));
      expect(parsed.controls.ge).toBe(parsed.controls.gs);
    }
    expect(plbFiles).toBe(1);
  });

  it("agrees with the visit rows: claim ids, codes, modifiers, dates, units and charges", () => {
    for (const { parsed } of files) {
      for (const claim of parsed.claims) {
        const lines = linesByClaim.get(claim.id);
        expect(lines, claim.id).toBeDefined();
        const sign = claim.status === "22" ? -1 : 1;
        expect(claim.lines.length).toBe(lines?.length);
        claim.lines.forEach((line, i) => {
          const row = lines?.[i] as VisitRow;
          expect(line.procedure).toEqual(["HC", row.cpt, ...parseModifiers(row.modifiers)]);
          expect(line.date).toBe(row.date_of_service);
          expect(line.units).toBe(Number(row.units_billed));
          expect(line.chargeCents).toBe(sign * cents(row.charge));
        });
      }
    }
  });

  it("follows the payers' rules: Medicare allowed = expected, deductible, coinsurance, sequestration, MPPR; denials", () => {
    const reasons = new Map<string, number>();
    let medicareLines = 0;
    for (const { name, parsed } of files) {
      for (const claim of parsed.claims) {
        for (const line of claim.lines) {
          for (const a of line.cas) reasons.set(`${a.group}-${a.reason}`, (reasons.get(`${a.group}-${a.reason}`) ?? 0) + 1);
          if (!name.startsWith("remit-medicare-") || line.allowedCents === null || line.allowedCents === 0) continue;
          medicareLines += 1;
          const seq = line.cas.find((a) => a.reason === "253")?.amountCents ?? 0;
          const pr = line.cas.filter((a) => a.group === "PR").reduce((s, a) => s + a.amountCents, 0);
          expect(line.paidCents + pr + seq).toBe(line.allowedCents);
        }
      }
    }
    expect(medicareLines).toBeGreaterThan(1000);
    for (const code of ["CO-45", "CO-59", "CO-253", "PR-1", "PR-2", "PR-3", "CO-119", "PR-119", "CO-97", "CO-4"]) {
      expect(reasons.get(code) ?? 0, code).toBeGreaterThan(0);
    }
    // CO-119 exactly on the Medicare lines billed past the KX threshold without KX or GA.
    expect(reasons.get("CO-119")).toBeLessThanOrEqual(practice.summary.linesMissingKx);
    expect(reasons.get("CO-119")).toBeGreaterThan(0);
  });

  it("has one reversal followed by its correction, underpaid contract lines, and no remits for the last three weeks", () => {
    const all = files.flatMap((f) => f.parsed.claims.map((c) => ({ file: f.name, claim: c })));
    const reversals = all.filter((c) => c.claim.status === "22");
    expect(reversals).toHaveLength(1);
    const reversal = reversals[0] as (typeof all)[number];
    const chain = all.filter((c) => c.claim.id === reversal.claim.id);
    expect(chain).toHaveLength(3);
    const [original, reversed, corrected] = chain as [(typeof all)[number], (typeof all)[number], (typeof all)[number]];
    expect(reversed.claim.paidCents).toBe(-original.claim.paidCents);
    expect(reversed.file).toBe(corrected.file);
    expect(original.file < reversed.file).toBe(true);
    expect(corrected.claim.paidCents).toBeGreaterThan(original.claim.paidCents);

    expect(practice.summary.underpaidLines).toBeGreaterThan(20);
    const remitted = new Set(all.map((c) => c.claim.id));
    for (const [claimId, lines] of linesByClaim) {
      if ((lines[0]?.date_of_service ?? "") > "2026-10-30") expect(remitted.has(claimId)).toBe(false);
    }
    const outstanding = [...linesByClaim.keys()].filter((id) => !remitted.has(id)).length;
    expect(outstanding).toBe(practice.summary.outstandingClaims);
  });
});
