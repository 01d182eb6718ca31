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
    expect(preview.counts).toEqual({ rows, added: 1, changed: 1, unchanged: rows - 2, removed: 0 });
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
