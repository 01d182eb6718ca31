// The practice option to set ambiguous undercoding notes apart (docs/undercoding.md): changed by an owner
// or admin through the guarded action (audited, refused to a biller), recomputing the lines; then the
// counted loss and the possible loss are summed apart on the page's figures and in the export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUndercodingOptionAction } from "@/app/(app)/undercoding/actions";
import { runAsUser } from "../core/context";
import { db, disconnectDb } from "../core/db";
import { exportSourceFor } from "../exports";
import { serialize } from "../lists/format";
import { importCsv } from "../imports";
import { therapistShares } from "../revenue/metrics";
import { refreshRevenueRollup } from "../derived/rollup";
import { analyticsScope } from "../revenue/scope";
import { asPractice, createTestPractice, importVisitsCsv, type TestPractice } from "../testing";
import { candidateLines, possibleByWeek, possibleLines } from "./queries";

// Blue Plan pays a flat fee per unit, no multiple-procedure reduction, not capped at the charge:
// 97110 $30.00 and 97530 $38.00, so a 97110 unit billed as 97530 gains $38.00 − $30.00 = $8.00.
const CONTRACT = [
  "payer,payer_kind,effective_from,effective_to,unit_method,multiple_procedure_rule,cpt,modifier,rate_per_unit,percent_of_medicare,medicare_year,locality,max_units_per_visit,lesser_of_charge",
  "Blue Plan,commercial,2026-01-01,,per_code,none,97110,,30.00,,,,,false",
  "Blue Plan,commercial,2026-01-01,,per_code,none,97530,,38.00,,,,,false",
].join("\n");

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const row = (patient: string, visit: string, cpt: string, minutes: number, units: number, note: string) =>
  `${patient},Pat,${patient},1980-01-01,Blue Plan,commercial,M${patient},${visit},C${visit},2026-03-10,1234567890,Dana Fox,PT,11,${cpt},GP,${minutes},${units},200.00,"${note}"`;
// All on Tuesday 2026-03-10: the week of Monday 2026-03-09. One patient per visit, so no two lines share a day.
const VISITS = [
  HEADER,
  // clear functional note on 97110, 2 units: counted either way; gain 2 × $8.00 = $16.00
  row("P1", "V1", "97110", 30, 2, "Toilet transfers x5 with grab bar, CGA."),
  // functional and as much named exercise, 3 units: gain 3 × $8.00 = $24.00, counted without the option, possible with it
  row("P2", "V2", "97110", 45, 3, "Goblet squats 3x10, then squat to pick up laundry from the floor x5."),
  // functional work only attempted, 1 unit: gain 1 × $8.00 = $8.00, counted without the option, possible with it
  row("P3", "V3", "97110", 15, 1, "Car transfer attempted then stopped for pain; seated rest."),
  // 97530 with two named exercises beside one functional task: not a candidate without the option, a possible exercise note with it
  row("P4", "V4", "97530", 30, 2, "Bridges 3x10, clamshells 3x10, then toilet transfer x1."),
  // plain exercise on 97110: never a candidate
  row("P5", "V5", "97110", 30, 2, "Theraband rows 3x15."),
].join("\n");

const WEEK = "2026-03-09";

describe("undercoding: ambiguous notes set apart as possible loss (practice option)", () => {
  let t: TestPractice;

  async function exportRows(): Promise<Record<string, string>[]> {
    let text = "";
    for await (const chunk of serialize(exportSourceFor("undercoding", t.practiceId, {}), "csv")) text += chunk;
    const [head, ...lines] = text.trim().split(/\r?\n/);
    const columns = head!.split(",");
    // no note text in the export: plain split is enough for these rows
    return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [columns[i]!, v])));
  }

  async function countedGainCents(): Promise<number> {
    await refreshRevenueRollup(t.practiceId);
    const shares = await therapistShares(analyticsScope(t.practiceId), WEEK, WEEK);
    return shares.therapists.reduce((s, x) => s + x.gainCents, 0);
  }

  beforeAll(async () => {
    t = await createTestPractice("undercoding-possible");
    // the practice's own code runs in its scope, as the guard would run it
    const c = await asPractice(t, () =>
      importCsv({
        kind: "contracts",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "c.csv",
        content: Buffer.from(CONTRACT),
      }),
    );
    expect(c.status, JSON.stringify(c.errors)).toBe("imported");
    await importVisitsCsv(t, VISITS);
  });
  afterAll(() => disconnectDb());

  it("without the option everything the reader flags is counted: $16.00 + $24.00 + $8.00 = $48.00, nothing possible", () =>
    asPractice(t, async () => {
      expect(await countedGainCents()).toBe(4800);
      expect(await possibleByWeek(analyticsScope(t.practiceId), WEEK, WEEK)).toEqual([]);
      const rows = await exportRows();
      expect(rows.map((r) => [r.visit_id, r.direction, r.potential_gain, r.possible_gain])).toEqual([
        ["V1", "could_be_97530", "16.00", ""],
        ["V2", "could_be_97530", "24.00", ""],
        ["V3", "could_be_97530", "8.00", ""],
      ]);
    }));

  it("refuses the option to a biller and a manager; nothing changes", () =>
    asPractice(t, async () => {
      for (const role of ["BILLER", "MANAGER"] as const) {
        const res = await runAsUser(t.users[role], () => setUndercodingOptionAction({ reviewAmbiguousNotes: "on" }));
        expect(res.ok, role).toBe(false);
        if (!res.ok) expect(res.status).toBe(403);
      }
      expect((await db().practice.findUniqueOrThrow({ where: { id: t.practiceId } })).reviewAmbiguousNotes).toBe(false);
    }));

  it("with the option (set by the owner, audited) the ambiguous lines move from counted to possible", () =>
    asPractice(t, async () => {
      const res = await runAsUser(t.users.OWNER, () => setUndercodingOptionAction({ reviewAmbiguousNotes: "on" }));
      expect(res).toEqual({ ok: true, data: { changed: true, recomputed: 5 } });
      const audits = await db().auditEvent.findMany({ where: { practiceId: t.practiceId, action: "practice.update_undercoding_option" } });
      expect(audits.map((a) => [a.userId, a.details])).toEqual([
        [t.users.OWNER, { from: { reviewAmbiguousNotes: false }, to: { reviewAmbiguousNotes: true }, recomputed: 5 }],
      ]);

      // counted: only V1, $16.00; possible: V2 + V3 = $24.00 + $8.00 = $32.00 over 2 lines, and V4 as a possible exercise note
      expect(await countedGainCents()).toBe(1600);
      expect(await possibleByWeek(analyticsScope(t.practiceId), WEEK, WEEK)).toEqual([
        { week: WEEK, gainCents: 3200, lines: 2, exerciseLines: 1 },
      ]);
      const counted = await candidateLines(analyticsScope(t.practiceId), { from: WEEK, to: "2026-03-15", status: "all" });
      expect(counted.rows.map((r) => r.visitExternalId)).toEqual(["V1"]);
      expect(counted.rows[0]!.rule).toContain("functional task performed");

      const possible = await possibleLines(analyticsScope(t.practiceId), { from: WEEK, to: "2026-03-15" });
      expect(possible.rows.map((r) => [r.visitExternalId, r.direction, r.gainCents])).toEqual([
        ["V2", "could_be_97530", 2400],
        ["V3", "could_be_97530", 800],
        ["V4", "reads_as_exercise", 0],
      ]);
      // each possible line says why it is ambiguous, with the words, and highlights them in the note
      expect(possible.rows[1]!.possibleReason).toBe('the functional work was only attempted ("Car transfer")');
      expect(possible.rows[0]!.explanation).toMatch(/^Possible 97530, not counted: strong evidence both ways/);
      expect(possible.rows[1]!.spans.map((s) => possible.rows[1]!.note.slice(s.start, s.end))).toEqual(["Car transfer"]);

      // the export: counted rows keep potential_gain, possible rows carry their gain in possible_gain only
      const rows = await exportRows();
      expect(rows.map((r) => [r.visit_id, r.direction, r.potential_gain, r.possible_gain])).toEqual([
        ["V1", "could_be_97530", "16.00", ""],
        ["V2", "could_be_97530", "0.00", "24.00"],
        ["V3", "could_be_97530", "0.00", "8.00"],
        ["V4", "reads_as_exercise", "0.00", "0.00"],
      ]);
      const sum = (k: string) => rows.reduce((s, r) => s + Math.round(Number(r[k] || 0) * 100), 0);
      expect([sum("potential_gain"), sum("possible_gain")]).toEqual([1600, 3200]);
    }));

  it("turned off again (by the admin) every flagged line is counted again: $48.00", () =>
    asPractice(t, async () => {
      const res = await runAsUser(t.users.ADMIN, () => setUndercodingOptionAction({ reviewAmbiguousNotes: "off" }));
      expect(res).toEqual({ ok: true, data: { changed: true, recomputed: 5 } });
      expect(await countedGainCents()).toBe(4800);
      expect(await possibleByWeek(analyticsScope(t.practiceId), WEEK, WEEK)).toEqual([]);
      // saving the same value again changes nothing and is not audited again
      expect(await runAsUser(t.users.ADMIN, () => setUndercodingOptionAction({ reviewAmbiguousNotes: "off" }))).toEqual({
        ok: true,
        data: { changed: false, recomputed: 0 },
      });
      expect(await db().auditEvent.count({ where: { practiceId: t.practiceId, action: "practice.update_undercoding_option" } })).toBe(2);
    }));
});
