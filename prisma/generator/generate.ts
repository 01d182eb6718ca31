// The deterministic demo-data generator: a therapy practice-year (clinics, therapists,
// patients, visits, contracts, amounts used elsewhere) and the 835 remits its payers sent
// back, in the formats of FORMATS.md. The same seed always gives byte-identical files.
//
// Pricing comes from lib/billing (the same functions the app uses), so the remits agree
// with what the app expects except where a payer is made to underpay or deny on purpose.
// Medicare therapy thresholds are tracked per patient and pool with the expected allowed
// amounts, so KX placement (and the lines missing it) is realistic (DOMAIN.md §1).
//
// How the remits express things:
// - Medicare: AMT*B6 = the fee schedule amount after MPPR and CQ/CO. The MPPR cut is its own
//   adjustment, CO-59 (the full-price amount minus the allowed amount); CO-45 is the charge
//   minus the full-price amount; PR-1 deductible ($283 in 2026), PR-2 20% coinsurance,
//   CO-253 2% sequestration of Medicare's share. Lines past the KX threshold without KX are
//   denied CO-119 for the whole charge (RARC N640); lines with GA (ABN on file) PR-119
//   (RARC M38, AMT*B6 0.00).
// - Contract payers: AMT*B6 = the contract amount (some lines a few dollars less: the
//   underpayments to find); MPPR / whole_50 reductions stay inside CO-45; patient share as
//   PR-1/PR-2 (UnitedHealthcare) or PR-3 copay. Blue Cross paid July to mid-August claims at
//   the old (pre-July) contract rates.
// - Every payer: 97140 billed with a PT evaluation without 59 is denied CO-97 (RARC M15);
//   a line without GP/GO/GN is denied CO-4 (RARC N822).
// - One UnitedHealthcare claim is paid short, reversed (CLP02 22) the next month and paid
//   again correctly; one file carries a PLB L6 (interest) adjustment. Claims with a date of
//   service in the last 3 weeks before endDate, and about 1% of older commercial claims, have
//   no remit yet (outstanding).
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { TherapyPool } from "../../lib/billing/codes";
import { CONTRACT_COLUMNS, PAYERS, type PayerProfile, PRACTICE } from "./practice";
import { mixSeed, Random } from "./random";
import { claimText, envelopeSegments, joinSegments, type ProviderAdjustment, type RemitClaim, reversalOf } from "./x12/practice-remits";
import { type Adjudicated, type PatientRemitState, adjudicateClaim, claimStatus, expectedCentsFor, payerClaimNumber } from "./adjudication";
import { fromDay, lastWeekdayOnOrBefore, monthOf, nextMonth, nextWeekday, toDay } from "./calendar";
import {
  type Context,
  type GeneratorOptions,
  type PracticeData,
  type PracticeMetadata,
  VISIT_COLUMNS,
  type VisitRow,
  createContext,
  resolveOptions,
} from "./context";
import { BufferedFile, csvField, csvLine, writeMetadataFiles } from "./output";
import { type Patient, type PlannedVisit, disciplineOfPool, makePatient, modifiersOf, placeKx, planEpisodes, planVisits } from "./plan";

export type { Clinic, ContractCsvRow, Therapist } from "./practice";
export {
  type GeneratorOptions,
  type GeneratorSummary,
  type PayerSummary,
  type PracticeData,
  type PracticeMetadata,
  type RemitFile,
  type ResolvedOptions,
  resolveOptions,
  USAGE_COLUMNS,
  type UsageRow,
  VISIT_COLUMNS,
  type VisitRow,
} from "./context";
export { csvField, csvLine } from "./output";

// ---------------------------------------------------------------------------------------
// Public types

export { CONTRACT_COLUMNS };

/** Where generated output goes: visit rows one at a time, remit claim loops per file. */
export interface PracticeSink {
  /** False skips adjudication and remit building (the visit rows stay the same). */
  wantsRemits?: boolean;
  /** Each visit row as an object. */
  visitRow?(row: VisitRow): void;
  /** Each visit row as a CSV line with its newline (cheaper than objects when writing files). */
  visitCsvLine?(line: string): void;
  /** One claim loop (835 text with terminators) for the remit file `fileKey`. */
  remitClaim(fileKey: string, text: string, segmentCount: number, paidCents: number): void;
}

function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** Each line's expected allowed amount under the payer's terms on the visit's date. */
function priceVisits(ctx: Context, payer: PayerProfile, visits: readonly PlannedVisit[]): void {
  for (const visit of visits) {
    const prices = expectedCentsFor(ctx, payer, fromDay(visit.day), visit.lines);
    visit.lines.forEach((line, lineIndex) => {
      line.expectedCents = prices[lineIndex] ?? null;
    });
  }
}

/** A Medicare patient: sometimes an amount used elsewhere this year (a usage row), then KX placed on the visits. */
function medicareThresholds(ctx: Context, rng: Random, patient: Patient, visits: PlannedVisit[]): void {
  ctx.summary.medicarePatients += 1;
  const usedElsewhere: Record<TherapyPool, number> = { PT_SLP: 0, OT: 0 };
  const firstVisit = visits[0];
  if (firstVisit && rng.chance(0.08)) {
    const pool = disciplineOfPool(firstVisit.discipline);
    const amount = rng.int(3, 19) * 10000 + rng.int(0, 99) * 100;
    usedElsewhere[pool] = amount;
    const asOf = Math.max(ctx.yearStartDay + 10, firstVisit.day - rng.int(2, 20));
    ctx.usageRows.push({
      patient_id: patient.id,
      year: String(ctx.opts.year),
      pool,
      amount: formatCents(amount),
      source: rng.pick(["MAC portal", "eligibility response"]),
      as_of: fromDay(Math.min(asOf, firstVisit.day)),
    });
    ctx.summary.usageRows += 1;
  }
  placeKx(ctx, rng, visits, usedElsewhere);
}

/** Part B or plan deductible left at the first visit: the later in the year, the likelier it was met elsewhere. */
function openingDeductibleCents(ctx: Context, remitRng: Random, payer: PayerProfile, visits: readonly PlannedVisit[]): number {
  const firstDay = visits[0]?.day ?? ctx.yearStartDay;
  const yearFraction = (firstDay - ctx.yearStartDay) / 365;
  if (payer.kind === "medicare") {
    if (remitRng.chance(0.15 + 0.6 * yearFraction)) return 0;
    return remitRng.chance(0.8) ? ctx.deductibleCents : remitRng.int(50, 250) * 100;
  }
  if (payer.patientShare.kind === "coinsurance" && !remitRng.chance(0.2 + 0.6 * yearFraction)) return payer.patientShare.deductibleCents;
  return 0;
}

/** A visit's identifiers in the files. */
interface VisitIds {
  visitId: string;
  claimId: string;
  date: string;
}

/** The visit's rows (one per line) to the sink, counted in the summary. */
function writeVisitRows(
  ctx: Context,
  sink: PracticeSink,
  patient: Patient,
  visit: PlannedVisit,
  ids: VisitIds,
  patientPrefix: string,
): void {
  const payer = patient.payer;
  const isMedicare = payer.kind === "medicare";
  const visitPrefix = sink.visitCsvLine
    ? `${ids.visitId},${ids.claimId},${ids.date},${visit.therapist.npi},${csvField(visit.therapist.name)},${visit.therapist.credential},${visit.placeOfService},`
    : "";
  for (const line of visit.lines) {
    const modifiers = modifiersOf(line).join(";");
    const minutes = line.minutes === null ? "" : String(line.minutes);
    const units = String(line.units);
    const charge = formatCents(line.chargeCents);
    ctx.summary.lines += 1;
    if (line.kx) ctx.summary.linesWithKx += 1;
    if (line.ga) ctx.summary.linesWithGa += 1;
    if (isMedicare && line.needsKx && !line.kx && !line.ga && line.discipline) ctx.summary.linesMissingKx += 1;
    if (sink.visitCsvLine) {
      sink.visitCsvLine(`${patientPrefix}${visitPrefix}${line.cpt},${modifiers},${minutes},${units},${charge},${csvField(line.note)}\n`);
    }
    sink.visitRow?.({
      patient_id: patient.id,
      first_name: patient.firstName,
      last_name: patient.lastName,
      birth_date: patient.birthDate,
      payer: payer.name,
      payer_kind: payer.kind,
      member_id: patient.memberId,
      visit_id: ids.visitId,
      claim_id: ids.claimId,
      date_of_service: ids.date,
      therapist_npi: visit.therapist.npi,
      therapist_name: visit.therapist.name,
      therapist_credential: visit.therapist.credential,
      place_of_service: visit.placeOfService,
      cpt: line.cpt,
      modifiers,
      minutes,
      units_billed: units,
      charge,
      note: line.note,
    });
  }
}

/** A claim loop into the remit file of its payer and month. */
function emitRemitClaim(
  ctx: Context,
  sink: PracticeSink,
  payer: PayerProfile,
  fileMonth: string,
  claim: RemitClaim,
  countUnderpaid: Adjudicated[] | null,
): void {
  const key = `${payer.slug}|${fileMonth}`;
  if (!ctx.remitFiles.has(key)) ctx.remitFiles.set(key, { payer, month: fileMonth });
  const { text, segmentCount } = claimText(claim);
  sink.remitClaim(
    key,
    text,
    segmentCount,
    claim.lines.reduce((sum, line) => sum + line.paidCents, 0),
  );
  ctx.summary.remitClaimLoops += 1;
  ctx.summary.remitServiceLines += claim.lines.length;
  if (countUnderpaid) ctx.summary.underpaidLines += countUnderpaid.filter((adjudicated) => adjudicated.underpaid).length;
}

/** The remitted claim of an adjudicated visit. */
function remitClaimOf(
  claimId: string,
  payer: PayerProfile,
  payerClaimNo: string,
  patient: Patient,
  adjudicated: readonly Adjudicated[],
): RemitClaim {
  const lines = adjudicated.map((one) => one.line);
  return {
    claimId,
    status: claimStatus(lines),
    filingCode: payer.claimFilingCode,
    payerClaimNumber: payerClaimNo,
    patient: { lastName: patient.lastName, firstName: patient.firstName, memberId: patient.memberId },
    lines,
  };
}

/**
 * The visit's remit, if the payer has answered by now: usually one claim loop; once in the
 * practice (a UnitedHealthcare claim) a short payment, its reversal and the correction.
 */
function remitVisit(
  ctx: Context,
  sink: PracticeSink,
  remitRng: Random,
  patient: Patient,
  visit: PlannedVisit,
  claimId: string,
  remitState: PatientRemitState,
): void {
  const payer = patient.payer;
  const lag = remitRng.int(payer.remitLagDays[0], payer.remitLagDays[1]);
  const payDay = nextWeekday(visit.day + lag);
  const lost = payer.kind !== "medicare" && remitRng.chance(0.01);
  if (visit.day > ctx.cutoffDay || payDay > ctx.todayDay || lost) {
    ctx.summary.outstandingClaims += 1;
    return;
  }
  ctx.summary.remittedClaims += 1;
  const month = monthOf(payDay);
  const reversalMonthLimit = monthOf(ctx.todayDay - 62);
  const reversalCandidate =
    !ctx.reversalDone &&
    payer.slug === "uhc" &&
    month <= reversalMonthLimit &&
    visit.lines.every((line) => line.discipline && !(line.needs59 && !line.has59));
  if (!reversalCandidate) {
    const adjudicated = adjudicateClaim(ctx, remitRng, patient, visit, remitState);
    emitRemitClaim(
      ctx,
      sink,
      payer,
      month,
      remitClaimOf(claimId, payer, payerClaimNumber(ctx, payer, payDay), patient, adjudicated),
      adjudicated,
    );
    return;
  }
  ctx.reversalDone = true;
  const before = remitState.deductibleLeftCents;
  const original = adjudicateClaim(ctx, remitRng, patient, visit, remitState, "all");
  const originalClaim = remitClaimOf(claimId, payer, payerClaimNumber(ctx, payer, payDay), patient, original);
  emitRemitClaim(ctx, sink, payer, month, originalClaim, null);
  remitState.deductibleLeftCents = before;
  // The correction pays the contract in full.
  const corrected = adjudicateClaim(ctx, remitRng, patient, visit, remitState, "none");
  const later = nextMonth(month);
  emitRemitClaim(ctx, sink, payer, later, reversalOf(originalClaim), null);
  emitRemitClaim(
    ctx,
    sink,
    payer,
    later,
    remitClaimOf(claimId, payer, payerClaimNumber(ctx, payer, payDay + 30), patient, corrected),
    corrected,
  );
}

function generatePatient(ctx: Context, index: number, sink: PracticeSink): void {
  const rng = new Random(mixSeed(ctx.opts.seed, index + 1));
  const { patient, age } = makePatient(ctx, rng, index);
  const episodes = planEpisodes(ctx, rng, patient, age);
  const visits = planVisits(ctx, rng, patient, episodes);
  const payer = patient.payer;
  ctx.summary.patients += 1;
  priceVisits(ctx, payer, visits);
  if (payer.kind === "medicare") medicareThresholds(ctx, rng, patient, visits);

  // Remits draw from their own stream, so the visit rows are the same whether or not remits are built.
  const remitRng = new Random(mixSeed(ctx.opts.seed ^ 0x835835, index + 1));
  const remitState: PatientRemitState = { deductibleLeftCents: openingDeductibleCents(ctx, remitRng, payer, visits) };
  const emitRemits = sink.wantsRemits !== false;
  const patientPrefix = sink.visitCsvLine
    ? `${patient.id},${csvField(patient.firstName)},${csvField(patient.lastName)},${patient.birthDate},${csvField(payer.name)},${payer.kind},${patient.memberId},`
    : "";
  for (const visit of visits) {
    if (visit.dropped) continue;
    ctx.visitSeq += 1;
    ctx.claimSeq += 1;
    const ids: VisitIds = {
      visitId: `V${String(ctx.visitSeq).padStart(8, "0")}`,
      claimId: `CLM${String(ctx.claimSeq).padStart(8, "0")}`,
      date: fromDay(visit.day),
    };
    ctx.summary.visits += 1;
    ctx.summary.claims += 1;
    if (visit.placeOfService === "02") ctx.summary.telehealthVisits += 1;
    writeVisitRows(ctx, sink, patient, visit, ids, patientPrefix);
    if (emitRemits) remitVisit(ctx, sink, remitRng, patient, visit, ids.claimId, remitState);
  }
}

interface RemitFilePlan {
  key: string;
  fileName: string;
  payer: PayerProfile;
  envelopeFor(body: { segmentCount: number; paidCents: number }): { head: string[]; tail: string[] };
}

/** File names, control numbers, dates and the PLB of every remit file, in a stable order. */
function planRemitFiles(ctx: Context): RemitFilePlan[] {
  const payerOrder = new Map(PAYERS.map((p, i) => [p.slug, i]));
  const keys = [...ctx.remitFiles.entries()].sort(([a, fa], [b, fb]) => {
    const byPayer = (payerOrder.get(fa.payer.slug) ?? 0) - (payerOrder.get(fb.payer.slug) ?? 0);
    return byPayer !== 0 ? byPayer : a < b ? -1 : a > b ? 1 : 0;
  });
  // One file carries a PLB: interest (L6) paid with a late batch, preferably Aetna's second month.
  const plbCandidates = ["aetna", "uhc", "bcbs", "humana-ma", "medicaid", "medicare"];
  let plbKey: string | null = null;
  for (const slug of plbCandidates) {
    const files = keys.filter(([, f]) => f.payer.slug === slug);
    if (files.length > 0) {
      plbKey = (files[Math.min(1, files.length - 1)] as [string, unknown])[0];
      break;
    }
  }
  const plbRng = new Random(mixSeed(ctx.opts.seed, 0x9b1));
  const interestCents = plbRng.int(150, 950);
  return keys.map(([key, file], fileIndex) => {
    const controlNumber = 1001 + fileIndex;
    const monthEnd = toDay(`${nextMonth(file.month)}-01`) - 1;
    const paymentDay = Math.min(lastWeekdayOnOrBefore(monthEnd), lastWeekdayOnOrBefore(ctx.todayDay));
    const paymentDate = fromDay(paymentDay);
    const adjustments: ProviderAdjustment[] = key === plbKey ? [{ reason: "L6", amountCents: -interestCents }] : [];
    return {
      key,
      fileName: `remit-${file.payer.slug}-${file.month}.835`,
      payer: file.payer,
      envelopeFor: (body) =>
        envelopeSegments(
          {
            payerName: file.payer.name,
            payerId: file.payer.payerId,
            payeeName: PRACTICE.name,
            payeeNpi: PRACTICE.npi,
            paymentDate,
            controlNumber,
            traceNumber: `${file.payer.slug
              .replace(/[^a-z]/g, "")
              .toUpperCase()
              .slice(0, 4)}${paymentDate.replaceAll("-", "")}${controlNumber}`,
            payerTaxId: String(mixSeed((payerOrder.get(file.payer.slug) ?? 0) + 1, 77) % 1_000_000_000).padStart(9, "0"),
            providerAdjustments: adjustments,
          },
          body,
        ),
    };
  });
}

function metadataOf(ctx: Context): PracticeMetadata {
  ctx.summary.remitFiles = ctx.remitFiles.size;
  return {
    options: ctx.opts,
    practice: { name: PRACTICE.name, npi: PRACTICE.npi, medicareLocality: ctx.opts.medicareLocality, timeZone: "America/New_York" },
    clinics: ctx.clinics,
    therapists: ctx.therapists,
    payers: PAYERS.map((p) => ({ name: p.name, kind: p.kind })),
    contractsCsvRows: ctx.contractsCsvRows,
    usageRows: ctx.usageRows,
    summary: ctx.summary,
  };
}

function run(options: GeneratorOptions, sink: PracticeSink): { ctx: Context; files: RemitFilePlan[] } {
  const ctx = createContext(resolveOptions(options));
  for (let i = 0; i < ctx.opts.patients; i++) generatePatient(ctx, i, sink);
  return { ctx, files: planRemitFiles(ctx) };
}

// ---------------------------------------------------------------------------------------
// Public API

/** The whole practice in memory (for tests, the seed script and small sizes). */
export function generatePractice(options: GeneratorOptions = {}): PracticeData {
  const visitRows: VisitRow[] = [];
  const bodies = new Map<string, { chunks: string[]; segmentCount: number; paidCents: number }>();
  const { ctx, files } = run(options, {
    visitRow: (row) => visitRows.push(row),
    remitClaim: (key, text, segmentCount, paidCents) => {
      let body = bodies.get(key);
      if (!body) {
        body = { chunks: [], segmentCount: 0, paidCents: 0 };
        bodies.set(key, body);
      }
      body.chunks.push(text);
      body.segmentCount += segmentCount;
      body.paidCents += paidCents;
    },
  });
  const remits = files.map((file) => {
    const body = bodies.get(file.key) ?? { chunks: [], segmentCount: 0, paidCents: 0 };
    const { head, tail } = file.envelopeFor(body);
    return { fileName: file.fileName, content: joinSegments(head) + body.chunks.join("") + joinSegments(tail) };
  });
  return { ...metadataOf(ctx), visitRows, remits };
}

/** Visit rows one at a time, without holding them (remits are not built). Returns the metadata. */
export function streamVisitRows(options: GeneratorOptions, onRow: (row: VisitRow) => void): PracticeMetadata {
  const { ctx } = run(options, { wantsRemits: false, visitRow: onRow, remitClaim: () => {} });
  return metadataOf(ctx);
}

/** Writes visits.csv, usage.csv, contracts.csv and the 835 files of an in-memory practice. */
export function writePracticeFiles(dir: string, data: PracticeData): void {
  mkdirSync(dir, { recursive: true });
  const visits = new BufferedFile(path.join(dir, "visits.csv"));
  visits.write(`${VISIT_COLUMNS.join(",")}\n`);
  for (const row of data.visitRows) visits.write(csvLine(VISIT_COLUMNS, row));
  visits.close();
  writeMetadataFiles(dir, data);
  for (const remit of data.remits) {
    const file = new BufferedFile(path.join(dir, remit.fileName));
    file.write(remit.content);
    file.close();
  }
}

/**
 * Generates and writes the practice straight to disk with bounded memory: visit rows go to
 * visits.csv as they are made, each remit file's claim loops to a temporary body file that
 * is wrapped in its envelope at the end. Returns the metadata (no rows).
 */
export function streamPracticeFiles(dir: string, options: GeneratorOptions = {}): PracticeMetadata & { remitFileNames: string[] } {
  mkdirSync(dir, { recursive: true });
  const visits = new BufferedFile(path.join(dir, "visits.csv"));
  visits.write(`${VISIT_COLUMNS.join(",")}\n`);
  const bodies = new Map<string, { file: BufferedFile; tmp: string; segmentCount: number; paidCents: number }>();
  const { ctx, files } = run(options, {
    visitCsvLine: (line) => visits.write(line),
    remitClaim: (key, text, segmentCount, paidCents) => {
      let body = bodies.get(key);
      if (!body) {
        const tmp = path.join(dir, `.body-${key.replace(/[^a-z0-9-]/gi, "_")}.tmp`);
        body = { file: new BufferedFile(tmp, 1 << 15), tmp, segmentCount: 0, paidCents: 0 };
        bodies.set(key, body);
      }
      body.file.write(text);
      body.segmentCount += segmentCount;
      body.paidCents += paidCents;
    },
  });
  visits.close();
  const meta = metadataOf(ctx);
  writeMetadataFiles(dir, meta);
  for (const plan of files) {
    const body = bodies.get(plan.key);
    if (!body) continue;
    body.file.close();
    const { head, tail } = plan.envelopeFor({ segmentCount: body.segmentCount, paidCents: body.paidCents });
    const out = new BufferedFile(path.join(dir, plan.fileName));
    out.write(joinSegments(head));
    out.write(readFileSync(body.tmp, "utf8"));
    out.write(joinSegments(tail));
    out.close();
    rmSync(body.tmp);
  }
  return { ...meta, remitFileNames: files.map((f) => f.fileName) };
}
