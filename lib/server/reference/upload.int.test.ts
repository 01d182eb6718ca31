// Loading a newer CMS file: validation that names row and column, a preview of what changes,
// apply in one transaction with every visit re-priced, the web actions' roles, the command line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyReferenceAction, previewReferenceAction } from "@/app/(app)/admin/reference/actions";
import { runAsUser } from "../context";
import { disconnectDb } from "../db";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { remitPaymentDetail } from "../remits/queries";
import { claimIssuesOfVisits } from "../claims/checks";
import { patientThresholdView } from "../kx/threshold";
import { drillDown } from "../revenue/lines";
import { analyticsScope } from "../revenue/scope";
import { viewPatient } from "../visits/queries";
import { asPractice, createTestPractice, db, type TestPractice } from "../testing";
import { shippedFile } from "./load";
import { applyReferenceFile, previewReferenceFile } from "./upload";

// the shipped files end lines with CRLF; the edits below work on LF text
const SHIPPED_FEES = shippedFile("pfs-rvu-2026-therapy.csv").replace(/\r\n/g, "\n");
const SHIPPED_GPCI = shippedFile("gpci-2026.csv").replace(/\r\n/g, "\n");

/** The shipped file with one cell changed on the row of a code (or locality). */
function withCell(text: string, rowStart: string, column: string, value: string): string {
  const [header, ...rows] = text.trimEnd().split("\n");
  const col = header!.split(",").indexOf(column);
  return [
    header,
    ...rows.map((r) =>
      r.startsWith(rowStart)
        ? r
            .split(",")
            .map((c, i) => (i === col ? value : c))
            .join(",")
        : r,
    ),
  ].join("\n");
}

const VISITS = [
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
  "RF-1,Rae,Fee,1944-04-04,Medicare,medicare,M1,RF-V1,CLM-RF-1,2026-04-06,3000000001,Ref Therapist,PT,11,97110,GP,30,2,100.00,",
].join("\n");

describe("reference data upload", () => {
  let t: TestPractice;
  /** the fee schedule as last applied: later files change one more cell of it */
  let currentFees = SHIPPED_FEES;
  const expectedOfVisit = async () => {
    const lines = await db().serviceLine.findMany({ where: { practiceId: t.practiceId } });
    return lines.reduce((s, l) => s + (l.expectedAllowedCents ?? 0), 0);
  };
  const kxTotal = async () => (await db().kxQueueItem.findFirstOrThrow({ where: { practiceId: t.practiceId } })).allowedHereCents;

  beforeAll(async () => {
    t = await createTestPractice("reference");
    const r = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "visits.csv",
        content: Buffer.from(VISITS),
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("previews new rows and changed values old → new, removing nothing", async () => {
    const changed = withCell(SHIPPED_FEES, "2026,97110,", "work_rvu", "0.500");
    const file = `${changed}\n2027,97110,,A,0.46,0.40,0.40,0.01,0.87,0.87,XXX,5,34.0000\n`;
    const preview = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "fee-schedule", fileName: "pfs-2027.csv", content: file }),
    );
    expect(preview.status).toBe("ok");
    const rows = SHIPPED_FEES.trim().split("\n").length - 1 + 1;
    expect(preview.counts).toEqual({ rows, added: 1, changed: 1, unchanged: rows - 2, removed: 0, skipped: 0 });
    expect(preview.years).toEqual([2026, 2027]);
    expect(preview.changed).toEqual([{ label: "97110 (2026)", changes: [{ column: "work_rvu", from: "0.45", to: "0.5" }] }]);
    expect(preview.added[0]).toMatchObject({ label: "97110 (2027)", values: { work_rvu: "0.46", conversion_factor: "34.0000" } });
    // a preview writes nothing
    expect(await db().feeScheduleRow.count({ where: { practiceId: t.practiceId, year: 2027 } })).toBe(0);
  });

  it("rejects a bad file with messages naming the row and column", async () => {
    const bad = withCell(SHIPPED_FEES, "2026,97012,", "work_rvu", "abc");
    const preview = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "fee-schedule", fileName: "bad.csv", content: bad }),
    );
    expect(preview.status).toBe("rejected");
    // 97012 is the second data row: row 3 of the file
    expect(preview.errors).toEqual([{ where: "row 3, column work_rvu", message: "must be a number" }]);

    const extra = SHIPPED_FEES.replace("conversion_factor", "conversion_factor,surprise").replace(/\n(\d{4},.*)/g, "\n$1,x");
    const unknown = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "fee-schedule", fileName: "extra.csv", content: extra }),
    );
    expect(unknown.errors[0]).toMatchObject({ where: "row 1, column surprise" });

    const precise = withCell(SHIPPED_FEES, "2026,97110,", "mp_rvu", "0.0123");
    const tooPrecise = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "fee-schedule", fileName: "precise.csv", content: precise }),
    );
    expect(tooPrecise.errors).toEqual([
      { where: expect.stringMatching(/^row \d+, column mp_rvu$/), message: "has more than 3 decimals (got 0.0123)" },
    ]);

    const dup = `${SHIPPED_FEES.trimEnd()}\n2026,97110,,A,0.45,0.41,0.41,0.01,0.87,0.87,XXX,5,33.4009\n`;
    const duplicate = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "fee-schedule", fileName: "dup.csv", content: dup }),
    );
    expect(duplicate.errors[0]!.message).toMatch(/97110 \(2026\) is also on row \d+/);

    const result = await asPractice(t.practiceId, () =>
      applyReferenceFile({
        practiceId: t.practiceId,
        userId: null,
        kind: "fee-schedule",
        fileName: "bad.csv",
        content: Buffer.from(bad),
      }),
    );
    expect(result.status).toBe("rejected");
    expect(result.errors[0]!.where).toBe("row 3, column work_rvu");
  });

  it("applies in one transaction and re-prices the visits and KX totals; the same file again is a duplicate", async () => {
    const before = await expectedOfVisit();
    expect(before).toBeGreaterThan(0);
    expect(await kxTotal()).toBe(before);
    const changed = withCell(SHIPPED_FEES, "2026,97110,", "work_rvu", "0.600");

    const dry = await asPractice(t.practiceId, () =>
      applyReferenceFile({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        kind: "fee-schedule",
        fileName: "pfs.csv",
        content: Buffer.from(changed),
        dryRun: true,
      }),
    );
    expect(dry).toMatchObject({ status: "dry-run", counts: { changed: 1, added: 0, visitsRepriced: 0 } });
    expect(await expectedOfVisit()).toBe(before);

    const applied = await asPractice(t.practiceId, () =>
      applyReferenceFile({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        kind: "fee-schedule",
        fileName: "pfs.csv",
        content: Buffer.from(changed),
      }),
    );
    expect(applied).toMatchObject({ status: "imported", counts: { changed: 1, added: 0, removed: 0, visitsRepriced: 1 } });
    const row = await db().feeScheduleRow.findFirstOrThrow({ where: { practiceId: t.practiceId, year: 2026, cpt: "97110" } });
    expect(row.workRvu.toString()).toBe("0.6");
    const after = await expectedOfVisit();
    expect(after).toBeGreaterThan(before);
    expect(await kxTotal()).toBe(after);
    expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action: "import.fee_schedule" } })).toBe(1);

    const again = await asPractice(t.practiceId, () =>
      applyReferenceFile({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        kind: "fee-schedule",
        fileName: "pfs.csv",
        content: Buffer.from(changed),
      }),
    );
    expect(again.status).toBe("duplicate");
    const preview = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "fee-schedule", fileName: "pfs.csv", content: changed }),
    );
    expect(preview.counts.changed).toBe(0);
    expect(preview.alreadyAppliedOn).not.toBeNull();
    currentFees = changed;
  });

  it("loads GPCIs the same way, and warns when the practice's locality is missing", async () => {
    const before = await expectedOfVisit();
    const changed = withCell(SHIPPED_GPCI, "2026,13202,NY,01,", "pe_gpci", "1.400");
    const preview = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "gpci", fileName: "gpci.csv", content: changed }),
    );
    expect(preview.changed).toEqual([{ label: "NY-01 MANHATTAN (2026)", changes: [{ column: "pe_gpci", from: "1.318", to: "1.4" }] }]);
    const applied = await asPractice(t.practiceId, () =>
      applyReferenceFile({
        practiceId: t.practiceId,
        userId: null,
        kind: "gpci",
        fileName: "gpci.csv",
        content: Buffer.from(changed),
      }),
    );
    expect(applied).toMatchObject({ status: "imported", counts: { changed: 1, visitsRepriced: 1 } });
    expect(await expectedOfVisit()).toBeGreaterThan(before);

    const otherYear = "year,mac,state,locality,locality_name,work_gpci,pe_gpci,mp_gpci\n2027,01112,CA,54,BAKERSFIELD,1.019,1.096,0.609\n";
    const warned = await asPractice(t.practiceId, () =>
      previewReferenceFile(db(), t.practiceId, { kind: "gpci", fileName: "gpci-2027.csv", content: otherYear }),
    );
    expect(warned.status).toBe("ok");
    expect(warned.warnings[0]!.message).toMatch(/NY-01 has no row for 2027/);
  });

  it("lets a manager or admin preview and apply from the page; others get 403", async () => {
    const content = withCell(currentFees, "2026,97140,", "mp_rvu", "0.02");
    const input = { kind: "fee-schedule" as const, fileName: "pfs-97140.csv", content };
    expect(await runAsUser(t.users.BILLER, () => previewReferenceAction(input))).toMatchObject({ ok: false, status: 403 });
    expect(await runAsUser(t.users.OWNER, () => applyReferenceAction(input))).toMatchObject({ ok: false, status: 403 });
    const preview = await runAsUser(t.users.MANAGER, () => previewReferenceAction(input));
    expect(preview.ok && preview.data.counts.changed).toBe(1);
    const applied = await runAsUser(t.users.ADMIN, () => applyReferenceAction(input));
    expect(applied.ok && applied.data.status).toBe("imported");
    currentFees = content;
    const missing = await runAsUser(t.users.MANAGER, () => previewReferenceAction({ kind: "fee-schedule", fileName: "", content: "" }));
    expect(!missing.ok && Object.keys(missing.fieldErrors ?? {}).sort()).toEqual(["content", "fileName"]);
  });

  it("runs from the command line with import-style JSON and exit codes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reference-cli-"));
    const good = path.join(dir, "pfs.csv");
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(good, withCell(currentFees, "2026,97116,", "mp_rvu", "0.02"));
    fs.writeFileSync(bad, withCell(SHIPPED_FEES, "2026,97012,", "status", ""));
    const run = (...args: string[]) =>
      spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/reference.ts", ...args], {
        encoding: "utf8",
        env: { ...process.env },
        timeout: 60_000,
      });
    const dry = run("fee-schedule", good, "--practice", t.slug, "--dry-run");
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ status: "dry-run", file: "pfs.csv", counts: { changed: 1 }, warnings: [], errors: [] });
    const rejected = run("fee-schedule", bad, "--practice", t.slug);
    expect(rejected.status).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ status: "rejected", errors: [{ where: "row 3, column status" }] });
    expect(run("rvu", good).status).toBe(2);
    expect(run("fee-schedule", path.join(dir, "missing.csv")).status).toBe(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("CMS's files as CMS publishes them (fixtures/: PPRRVU, GPCI, MUE, NCCI PTP)", () => {
  const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("cms-files");
  });
  afterAll(() => disconnectDb());
  const load = (kind: "fee-schedule" | "gpci" | "mue" | "ncci", fileName: string, text: string, dryRun = false) =>
    asPractice(t.practiceId, () =>
      applyReferenceFile({ practiceId: t.practiceId, userId: t.users.MANAGER, kind, fileName, content: Buffer.from(text), dryRun }),
    );

  it("dry-runs CMS's PPRRVU CSV: shows what would change, writes nothing; then applies it", async () => {
    // the sample holds the shipped CY2026 values: loaded as is, nothing changes
    const same = await load("fee-schedule", "PPRRVU2026_Jul_nonQPP.csv", fixture("PPRRVU2026_Jul_nonQPP-therapy.csv"), true);
    expect(same.status).toBe("dry-run");
    expect(same.counts).toMatchObject({ rows: 8, added: 0, changed: 0, unchanged: 8, removed: 0, skipped: 2 });
    // a later release moving 97110's work RVU from 0.45 to 0.47
    const next = fixture("PPRRVU2026_Jul_nonQPP-therapy.csv").replace("97110,,,A,,0.45,", "97110,,,A,,0.47,");
    const dry = await load("fee-schedule", "PPRRVU2026_Oct_nonQPP.csv", next, true);
    expect(dry.status).toBe("dry-run");
    expect(dry.counts).toMatchObject({ rows: 8, added: 0, changed: 1, unchanged: 7, skipped: 2, visitsRepriced: 0 });
    expect(dry.changes?.changed).toEqual([{ label: "97110 (2026)", changes: [{ column: "work_rvu", from: "0.45", to: "0.47" }] }]);
    expect(dry.warnings.map((w) => w.message)).toContain("conversion factor 33.4009 from the file's CONV FACTOR column");
    const row = () => db().feeScheduleRow.findFirstOrThrow({ where: { practiceId: t.practiceId, year: 2026, cpt: "97110" } });
    expect((await row()).workRvu.toString()).toBe("0.45");
    const applied = await load("fee-schedule", "PPRRVU2026_Oct_nonQPP.csv", next);
    expect(applied.status).toBe("imported");
    expect((await row()).workRvu.toString()).toBe("0.47");
  });

  it("rejects a malformed PPRRVU row naming the file's row and CMS's column, and changes nothing", async () => {
    const text = fixture("PPRRVU2026_Jul_nonQPP-therapy.csv");
    const row = text.split(/\r?\n/).findIndex((l) => l.startsWith("97530,")) + 1;
    const r = await load("fee-schedule", "bad.csv", text.replace("97530,,,A,,0.44,", "97530,,,A,,0.4x,"));
    expect(r.status).toBe("rejected");
    expect(r.errors).toEqual([{ where: `row ${row}, column WORK RVU`, message: 'must be a number (got "0.4x")' }]);
  });

  it("dry-runs CMS's fixed-width PPRRVU TXT the same way, the year from its file name, and names row, column and characters", async () => {
    const txt = fixture("PPRRVU26_JAN-therapy.txt");
    // the practice already holds the CSV test's 0.47 for 97110; the TXT says 0.45 (the shipped value)
    const dry = await load("fee-schedule", "PPRRVU26_JAN.txt", txt, true);
    expect(dry.status).toBe("dry-run");
    expect(dry.counts).toMatchObject({ rows: 8, added: 0, changed: 1, unchanged: 7, removed: 0, skipped: 3, visitsRepriced: 0 });
    expect(dry.changes?.changed).toEqual([{ label: "97110 (2026)", changes: [{ column: "work_rvu", from: "0.47", to: "0.45" }] }]);
    expect(dry.warnings.map((w) => w.message)).toContain("CMS PPRRVU file (fixed-width TXT) for 2026 (from its file name)");
    const row = () => db().feeScheduleRow.findFirstOrThrow({ where: { practiceId: t.practiceId, year: 2026, cpt: "97110" } });
    expect((await row()).workRvu.toString()).toBe("0.47");
    // WORK RVU of 97530 damaged (characters 60–65): refused, naming the line and the characters
    const line = txt.split("\r\n").findIndex((l) => l.startsWith("97530")) + 1;
    const bad = await load("fee-schedule", "PPRRVU26_JAN.txt", txt.replace(/^97530(.{54}) {2}0\.44/m, "97530$1  0.4x"));
    expect(bad.status).toBe("rejected");
    expect(bad.errors).toEqual([{ where: `row ${line}, column WORK RVU (characters 60–65)`, message: 'must be a number (got "0.4x")' }]);
    expect((await row()).workRvu.toString()).toBe("0.47");
    const applied = await load("fee-schedule", "PPRRVU26_JAN.txt", txt);
    expect(applied.status).toBe("imported");
    expect((await row()).workRvu.toString()).toBe("0.45");
  });

  it("reads CMS's GPCI file: the shipped localities are unchanged, a changed PE GPCI shows old → new", async () => {
    const gpci = fixture("GPCI2026-sample.csv");
    const same = await load("gpci", "GPCI2026.csv", gpci, true);
    expect(same.counts).toMatchObject({ rows: 5, added: 0, changed: 0, unchanged: 5 });
    const dry = await load(
      "gpci",
      "GPCI2026.csv",
      gpci.replace("13202,NY,01,MANHATTAN,1.063,1.318,", "13202,NY,01,MANHATTAN,1.063,1.320,"),
      true,
    );
    expect(dry.changes?.changed).toEqual([
      { label: "NY-01 MANHATTAN (2026)", changes: [{ column: "pe_gpci", from: "1.318", to: "1.32" }] },
    ]);
  });

  it('loads the practitioner MUE table and the claim checks say "97035: 3 units billed, MUE 2"', async () => {
    const dry = await load("mue", "MCR_MUE_PractitionerServices.csv", fixture("MCR_MUE_PractitionerServices-sample.csv"), true);
    expect(dry.counts).toMatchObject({ rows: 7, added: 7, changed: 0 });
    expect(await db().mueCap.count({ where: { practiceId: t.practiceId } })).toBe(0);
    const r = await load("mue", "MCR_MUE_PractitionerServices.csv", fixture("MCR_MUE_PractitionerServices-sample.csv"));
    expect(r.status).toBe("imported");
    expect(await db().mueCap.findFirst({ where: { practiceId: t.practiceId, cpt: "97035" } })).toMatchObject({
      units: 2,
      adjudicationIndicator: "3",
    });
    // 45 minutes of ultrasound (97035, timed): the 8-minute rule supports 3 units ((45 + 7) / 15 = 3.47 → 3),
    // so only the MUE of 2 a day stops the claim
    const visits = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "mue-visits.csv",
        content: Buffer.from(
          [
            "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
            "MU-1,Mae,Unit,1950-05-05,Medicare,medicare,M9,MU-V1,CLM-MU-1,2026-05-04,3000000009,Mue Therapist,PT,11,97035,GP,45,3,90.00,",
          ].join("\n"),
        ),
      }),
    );
    expect(visits.status, JSON.stringify(visits.errors)).toBe("imported");
    const visit = await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "MU-V1" } });
    const issues = (await asPractice(t.practiceId, () => claimIssuesOfVisits(db(), t.practiceId, [visit.id]))).get(visit.id) ?? [];
    const mue = issues.filter((i) => i.code === "units_over_mue");
    expect(mue.map((i) => i.message.split(". ")[0])).toEqual(["97035: 3 units billed, MUE 2"]);
    expect(issues.filter((i) => i.code === "units_over")).toEqual([]);
  });

  it("an SLP line (92507) has no Medicare price in the shipped tables and says which file to load, never $0", async () => {
    const r = await asPractice(t.practiceId, () =>
      importCsv({
        kind: "visits",
        practiceId: t.practiceId,
        userId: null,
        fileName: "slp-visits.csv",
        content: Buffer.from(
          [
            "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
            "SL-1,Sam,Lang,1948-08-08,Medicare,medicare,M8,SL-V1,CLM-SL-1,2026-05-05,3000000008,Speech Therapist,SLP,11,92507,GN,,1,120.00,",
          ].join("\n"),
        ),
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    const line = await db().serviceLine.findFirstOrThrow({ where: { practiceId: t.practiceId, cpt: "92507" } });
    expect(line.expectedAllowedCents).toBeNull();
    const SLP =
      "No Medicare price for 92507: load the CMS 2026 Physician Fee Schedule RVU file. The line is not priced with another year's figures.";
    expect(line.expectedNote).toBe(SLP);

    // Wherever the line appears, it carries that sentence instead of an amount:
    // the patient's threshold page (the PT/SLP pool of 2026: GN puts 92507 there)
    const visit = await db().visit.findFirstOrThrow({ where: { practiceId: t.practiceId, externalId: "SL-V1" } });
    const threshold = await asPractice(t.practiceId, () =>
      patientThresholdView({ practiceId: t.practiceId, userId: t.users.BILLER, alertLevelCents: 200000 }, visit.patientId, {
        year: 2026,
        pool: "PT_SLP",
      }),
    );
    expect(threshold?.lines.map((l) => [l.cpt, l.allowedCents, l.noPrice])).toEqual([["92507", 0, SLP]]);
    // the patient page's visit list (its lines and their notes)
    const patient = await asPractice(t.practiceId, () =>
      viewPatient({ practiceId: t.practiceId, userId: t.users.BILLER }, visit.patientId),
    );
    const lines = patient?.visits.find((v) => v.id === visit.id)?.lines ?? [];
    expect(lines.map((l) => [l.cpt, l.expectedAllowedCents, l.expectedNote])).toEqual([["92507", null, SLP]]);
    // the revenue lines page (the week of Monday 2026-05-04)
    const drill = await asPractice(t.practiceId, () => drillDown(analyticsScope(t.practiceId), { metric: "visits", week: "2026-05-04" }));
    expect(drill.rows.filter((l) => l.cpt === "92507").map((l) => [l.expectedCents, l.noPrice])).toEqual([[null, SLP]]);
    // the remit page: Medicare's 835 pays the line (charge 120.00 − CO-45 70.00 = 50.00 paid), and
    // its Expected cell says why there is no expected amount instead of a dash
    const remit = [
      "ISA*00*          *00*          *ZZ*MEDICARE       *ZZ*SLPRACTICE     *260601*0900*^*00501*000000801*0*P*:~",
      "GS*HP*MEDICARE*SLPRACTICE*20260601*0900*801*X*005010X221A1~",
      "ST*835*0001~",
      "BPR*I*50.00*C*ACH*CCP*01*999999999*DA*123456*1999999999**01*888888888*DA*654321*20260601~",
      "TRN*1*SL-801*1999999999~",
      "DTM*405*20260601~",
      "N1*PR*MEDICARE~",
      "N1*PE*TEST PRACTICE*XX*1999999998~",
      "LX*1~",
      "CLP*CLM-SL-1*1*120.00*50.00*0.00*MB*ICN-SL-1~",
      "NM1*QC*1*LANG*SAM****MI*M8~",
      "SVC*HC:92507:GN*120.00*50.00**1~",
      "DTM*472*20260505~",
      "CAS*CO*45*70.00~",
      "AMT*B6*50.00~",
      "SE*14*0001~",
      "GE*1*801~",
      "IEA*1*000000801~",
    ].join("\n");
    const imported = await asPractice(t.practiceId, () =>
      import835({ practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "slp.835", content: Buffer.from(remit) }),
    );
    expect(imported.status, JSON.stringify(imported.errors)).toBe("imported");
    const payment = await db().remitPayment.findFirstOrThrow({ where: { practiceId: t.practiceId, traceNumber: "SL-801" } });
    const detail = await asPractice(t.practiceId, () => remitPaymentDetail(t.practiceId, payment.id));
    const remitLines = detail?.payment.claims.flatMap((c) => c.lines) ?? [];
    expect(remitLines.map((l) => [l.cpt, l.allowedCents, l.expectedAllowedCents, l.noPrice])).toEqual([["92507", 5000, null, SLP]]);
  });

  it("loads NCCI PTP edits into the pair table and takes out an edit the file deletes", async () => {
    const ncci = fixture("ccipra-sample.txt");
    const r = await load("ncci", "ccipra-v321r0-f1.txt", ncci);
    expect(r.status).toBe("imported");
    const pairs = await db().ncciPair.findMany({ where: { practiceId: t.practiceId, column1: "97150", column2: "97110" } });
    expect(pairs.map((p) => [p.modifierIndicator, p.note])).toEqual([["1", "Mutually exclusive procedures"]]);
    // a later release deletes 97150 with 97110 as of 2020-01-01
    const deleted = ncci.replace("97150\t97110\t\t20170101\t*\t", "97150\t97110\t\t20170101\t20200101\t");
    const dry = await load("ncci", "ccipra-v322r0-f1.txt", deleted, true);
    expect(dry.counts).toMatchObject({ rows: 6, removed: 1 });
    expect(dry.changes?.removed).toEqual(["97150 with 97110"]);
    expect(await db().ncciPair.count({ where: { practiceId: t.practiceId, column1: "97150", column2: "97110" } })).toBe(1);
    await load("ncci", "ccipra-v322r0-f1.txt", deleted);
    expect(await db().ncciPair.count({ where: { practiceId: t.practiceId, column1: "97150", column2: "97110" } })).toBe(0);
    const bad = await load("ncci", "bad.txt", ncci.replace("97164\t97530\t\t20170101\t*\t1", "97164\t97530\t\t20170101\t*\t2"));
    expect(bad.status).toBe("rejected");
    expect(bad.errors).toEqual([{ where: "row 7, column Modifier", message: 'must be 0, 1 or 9 (got "2")' }]);
  });
});

describe("codes CMS marks always therapy (MULT PROC 5) beyond the built-in list", () => {
  const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("always-therapy");
  });
  afterAll(() => disconnectDb());

  it("a code the fee schedule file marks always therapy gets its RVUs loaded, then its MUE cap", async () => {
    const load = (kind: "fee-schedule" | "mue", fileName: string, text: string, dryRun = false) =>
      asPractice(t.practiceId, () =>
        applyReferenceFile({ practiceId: t.practiceId, userId: t.users.MANAGER, kind, fileName, content: Buffer.from(text), dryRun }),
      );
    // the MUE sample (7 therapy rows) with a row for 92611 (motion fluoroscopic evaluation of
    // swallowing), which neither the shipped therapy code list nor the shipped table holds
    const mue = `${fixture("MCR_MUE_PractitionerServices-sample.csv").trimEnd()}\n92611,1,"3 Date of Service Edit: Clinical",\n`;
    const before = await load("mue", "MCR_MUE_PractitionerServices.csv", mue, true);
    expect(before.counts).toMatchObject({ rows: 7 });
    expect(before.changes?.added).not.toContain("92611");

    // the PPRRVU TXT with a 92611 line in 97110's layout (MULT PROC 5 at character 116)
    const txt = fixture("PPRRVU26_JAN-therapy.txt");
    const line97110 = txt.split("\r\n").find((l) => l.startsWith("97110"))!;
    const fees = await load("fee-schedule", "PPRRVU26_JAN.txt", `${txt}92611${line97110.slice(5)}\r\n`);
    expect(fees.status).toBe("imported");
    // the practice holds the shipped 2026 rows: only 92611 is new
    expect(fees.counts).toMatchObject({ rows: 9, added: 1 });
    expect(fees.warnings.map((w) => w.message)).toContain(
      "1 code(s) the app did not know as therapy are loaded because CMS marks them always therapy (MULT PROC 5): 92611",
    );
    const row = await db().feeScheduleRow.findFirstOrThrow({ where: { practiceId: t.practiceId, year: 2026, cpt: "92611" } });
    expect([row.workRvu.toString(), row.multProcIndicator]).toEqual(["0.45", "5"]);

    const after = await load("mue", "MCR_MUE_PractitionerServices.csv", mue, true);
    expect(after.counts).toMatchObject({ rows: 8 });
    expect(after.changes?.added).toContain("92611");
  });
});
