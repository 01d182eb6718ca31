// The lines to rebill a page at a time, over several patients: the list's counts are the year's
// queue items' sums (each item counts its pool's lines to send and those sent but not answered),
// which also say which patients a page spans. Built through the real visits and 835 imports:
// Medicare denies every line CO-119 (missing KX), and one commercial visit's line too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, type TestPractice, test835 } from "../testing";
import { markLinesRebilled } from "./actions";
import { recomputeAllKx } from "../derived/kx-all";
import { kxRebillPage, type RebillFilters } from "./rebill";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const PT = "1234567893,Pat Therapist,PT";
const OT = "1245319599,Olive Therapist,OT";
// patient, first, last, payer, member, visit (= claim), date, therapist, cpt, modifier: written in
// no particular order, so the list's order (last name, first name, date, line) is the test's
const LINES: [string, string, string, "medicare" | "commercial", string, string, string, string, string, string][] = [
  ["RC", "Cal", "Cedar", "medicare", "1RBPG0000C3", "V-C1", "2026-03-03", PT, "97110", "GP"],
  ["RC", "Cal", "Cedar", "medicare", "1RBPG0000C3", "V-C1", "2026-03-03", PT, "97140", "GP"],
  ["RA2", "Amy", "Ash", "medicare", "1RBPG0000A2", "V-A2", "2026-03-02", PT, "97110", "GP"],
  ["RA2", "Amy", "Ash", "medicare", "1RBPG0000A2", "V-A2", "2026-03-02", PT, "97140", "GP"],
  ["RA2", "Amy", "Ash", "medicare", "1RBPG0000A2", "V-A2", "2026-03-02", PT, "97530", "GP"],
  ["RB", "Ben", "Birch", "medicare", "1RBPG0000B1", "V-B1", "2026-03-04", PT, "97110", "GP"],
  ["RB", "Ben", "Birch", "medicare", "1RBPG0000B1", "V-B2", "2026-03-06", OT, "97530", "GO"],
  ["RA1", "Abe", "Ash", "medicare", "1RBPG0000A1", "V-A1", "2026-03-05", PT, "97110", "GP"],
  ["RA1", "Abe", "Ash", "medicare", "1RBPG0000A1", "V-A0", "2026-02-10", PT, "97140", "GP"],
  ["RD", "Dee", "Dale", "commercial", "XDALE01", "V-D1", "2026-03-02", PT, "97110", "GP"],
];
const CHARGE = 100;

function visitsCsv(): string {
  return [
    HEADER,
    ...LINES.map(
      ([id, first, last, kind, member, visit, dos, therapist, cpt, mod]) =>
        `${id},${first},${last},1950-01-01,${kind === "medicare" ? "Medicare" : "Acme Health"},${kind},${member},${visit},${visit},${dos},${therapist},11,${cpt},${mod},15,1,${CHARGE}.00,`,
    ),
  ].join("\n");
}

/** An 835 from Medicare denying every line CO-119, one claim a visit. */
function denials835(): string {
  const visits = [...new Set(LINES.map((l) => l[5]))];
  return test835(
    "MEDICARE",
    "RB-7001",
    visits.map((visit) => {
      const lines = LINES.filter((l) => l[5] === visit);
      const [, first, last, , member] = lines[0]!;
      return {
        claim: visit,
        first,
        last,
        member,
        status: "4",
        lines: lines.map(([, , , , , , dos, , cpt, modifier]) => ({
          cpt,
          modifier,
          dos,
          chargeCents: CHARGE * 100,
          paidCents: 0,
          adjustments: [`CO*119*${CHARGE}.00`],
        })),
      };
    }),
  );
}

let t: TestPractice;
const actor = () => ({ practiceId: t.practiceId, userId: t.users.BILLER, timeZone: "America/New_York" });
/** A page as "last name first-initial date cpt" words, with the list's counts. */
const page = async (filters: RebillFilters, n: number, size: number) => {
  const p = await kxRebillPage(db(), t.practiceId, filters, n, size);
  return {
    rows: p.rows.map((l) => `${l.patientName.split(",")[0]} ${l.patientName.split(", ")[1]![0]} ${l.dateOfService.slice(5)} ${l.cpt}`),
    total: p.total,
    toRebill: p.toRebill,
    pages: p.pages,
  };
};

beforeAll(async () => {
  t = await createTestPractice("kx-rebill-pages");
  await asPractice(t, async () => {
    const visits = await importCsv({
      kind: "visits",
      practiceId: t.practiceId,
      userId: t.users.ADMIN,
      fileName: "visits.csv",
      content: Buffer.from(visitsCsv()),
    });
    expect(visits.status, JSON.stringify(visits.errors)).toBe("imported");
    const remits = await import835({
      practiceId: t.practiceId,
      userId: t.users.MANAGER,
      fileName: "denials.835",
      content: Buffer.from(denials835()),
    });
    expect(remits.status, JSON.stringify(remits.errors)).toBe("imported");
  });
}, 120_000);
afterAll(() => disconnectDb());

// The list in its order: Ash, Abe (Feb 10 97140, Mar 5 97110); Ash, Amy (Mar 2: 97110, 97140,
// 97530); Birch, Ben (Mar 4 97110 PT, Mar 6 97530 OT); Cedar, Cal (Mar 3: 97110, 97140). Dale,
// Dee's line is denied CO-119 too, but on a commercial visit: not on the list.
// 2 + 3 + 2 + 2 = 9 lines.
const ALL = [
  "Ash A 02-10 97140",
  "Ash A 03-05 97110",
  "Ash A 03-02 97110",
  "Ash A 03-02 97140",
  "Ash A 03-02 97530",
  "Birch B 03-04 97110",
  "Birch B 03-06 97530",
  "Cedar C 03-03 97110",
  "Cedar C 03-03 97140",
];

describe("the lines to rebill, a page at a time", () => {
  it("pages across patients in the list's order, the counts from the queue items", () =>
    asPractice(t, async () => {
      // 9 lines, 4 a page: 4 + 4 + 1, three pages; page 2 starts inside Amy's lines (her third)
      // and ends inside Cal's (his first); page 4 is past the end and still counts the list
      expect(await page({ year: 2026 }, 1, 4)).toEqual({ rows: ALL.slice(0, 4), total: 9, toRebill: 9, pages: 3 });
      expect(await page({ year: 2026 }, 2, 4)).toEqual({ rows: ALL.slice(4, 8), total: 9, toRebill: 9, pages: 3 });
      expect(await page({ year: 2026 }, 3, 4)).toEqual({ rows: ALL.slice(8), total: 9, toRebill: 9, pages: 3 });
      expect(await page({ year: 2026 }, 4, 4)).toEqual({ rows: [], total: 9, toRebill: 9, pages: 3 });
      // one pool: OT is Ben's Mar 6 line alone; PT/SLP the other 8 (4 + 4)
      expect(await page({ year: 2026, pool: "OT" }, 1, 4)).toEqual({ rows: ["Birch B 03-06 97530"], total: 1, toRebill: 1, pages: 1 });
      const pt = ALL.filter((l) => l !== "Birch B 03-06 97530");
      expect(await page({ year: 2026, pool: "PT_SLP" }, 2, 4)).toEqual({ rows: pt.slice(4, 8), total: 8, toRebill: 8, pages: 2 });
      // another year has none
      expect(await page({ year: 2025 }, 1, 4)).toEqual({ rows: [], total: 0, toRebill: 0, pages: 1 });
    }));

  it("keeps a sent line on the list and off the count to send, as the queue items count them", () =>
    asPractice(t, async () => {
      const amy = await db().kxQueueItem.findFirstOrThrow({
        where: { practiceId: t.practiceId, patient: { externalId: "RA2" }, year: 2026, pool: "PT_SLP" },
      });
      const lines = await db().serviceLine.findMany({ where: { practiceId: t.practiceId, visit: { externalId: "V-A2" } } });
      await markLinesRebilled(actor(), { itemId: amy.id, version: amy.version, lineIds: lines.map((l) => l.id) });
      // Amy's three lines sent: 9 on the list, 9 − 3 = 6 to send; the item counts 0 to send, 3 sent
      const sent = await db().kxQueueItem.findUniqueOrThrow({ where: { id: amy.id } });
      expect([sent.linesToRebill, sent.linesRebillSent]).toEqual([0, 3]);
      expect(await page({ year: 2026 }, 1, 4)).toEqual({ rows: ALL.slice(0, 4), total: 9, toRebill: 6, pages: 3 });
      const first = await kxRebillPage(db(), t.practiceId, { year: 2026 }, 1, 4);
      expect(first.rows.map((l) => l.rebilledAt !== null)).toEqual([false, false, true, true]);
      // the whole practice's queue recomputed at once counts them the same way
      await recomputeAllKx(t.practiceId);
      const again = await db().kxQueueItem.findUniqueOrThrow({ where: { id: amy.id } });
      expect([again.linesToRebill, again.linesRebillSent]).toEqual([0, 3]);
      expect(await page({ year: 2026 }, 2, 4)).toEqual({ rows: ALL.slice(4, 8), total: 9, toRebill: 6, pages: 3 });
    }));

  it("reads every line of the year for a clinic, and pages them the same way", () =>
    asPractice(t, async () => {
      const north = await db().clinic.create({ data: { practiceId: t.practiceId, name: "North" } });
      const pat = await db().therapist.findFirstOrThrow({ where: { practiceId: t.practiceId, npi: "1234567893" } });
      try {
        // Pat works at North, Olive at none: North's lines are every line but Ben's OT one
        await db().therapist.update({ where: { id: pat.id }, data: { clinicId: north.id } });
        const pt = ALL.filter((l) => l !== "Birch B 03-06 97530");
        expect(await page({ year: 2026, clinic: north.id }, 1, 4)).toEqual({ rows: pt.slice(0, 4), total: 8, toRebill: 5, pages: 2 });
        expect(await page({ year: 2026, clinic: north.id }, 2, 4)).toEqual({ rows: pt.slice(4, 8), total: 8, toRebill: 5, pages: 2 });
        expect(await page({ year: 2026, clinic: north.id }, 3, 4)).toEqual({ rows: [], total: 8, toRebill: 5, pages: 2 });
      } finally {
        await db().therapist.update({ where: { id: pat.id }, data: { clinicId: null } });
        await db().clinic.delete({ where: { id: north.id } });
      }
    }));
});
