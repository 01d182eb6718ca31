// An appeal letter of many lines comes in parts (LETTER_PART_LINES lines each, by date of service):
// a payer's open underpaid lines over years can number in the tens of thousands, which no payer's
// reviewer reads as one letter (and which made a page of 147 MB at a million visits). Here three
// underpaid Medicare lines, in parts of two: the parts, one after another, are the letter's lines
// in its order, each with its own total, and every part names the whole request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, paidServiceLine } from "@/prisma/generator/x12";
import { disconnectDb } from "../core/db";
import { importCsv } from "../imports";
import { import835 } from "../remits/import";
import { asPractice, createTestPractice, type TestPractice } from "../testing";
import { appealLetter, setUnderpaymentStatus, underpaymentWorklist } from "./worklist";

const VISITS = [
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97140,GP,15,1,50.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-04,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
].join("\n");

/** A paid line (CO-45 down to the allowed, 20% coinsurance): paidServiceLine. */
const paidLow = paidServiceLine;

describe("an appeal letter in parts", () => {
  let t: TestPractice;
  beforeAll(async () => {
    t = await createTestPractice("letter-parts");
    const visits = await asPractice(t, () =>
      importCsv({ kind: "visits", practiceId: t.practiceId, userId: t.users.ADMIN, fileName: "visits.csv", content: Buffer.from(VISITS) }),
    );
    expect(visits.status, JSON.stringify(visits.errors)).toBe("imported");
    const member = { lastName: "WALKER", firstName: "ANN", memberId: "1EG4TE5MK73" };
    const { text } = generate835({
      payerName: "MEDICARE",
      claims: [
        {
          patientControlNumber: "C1",
          payerClaimControlNumber: "ICN1",
          patient: member,
          serviceLines: [paidLow("97110", "2026-03-02", 10000, 1000, 2), paidLow("97140", "2026-03-02", 5000, 500)],
        },
        {
          patientControlNumber: "C2",
          payerClaimControlNumber: "ICN2",
          patient: member,
          serviceLines: [paidLow("97530", "2026-03-04", 12000, 1000, 2)],
        },
      ],
    });
    const remit = await asPractice(t, () =>
      import835({ practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "low.835", content: Buffer.from(text) }),
    );
    expect(remit.status, JSON.stringify(remit)).toBe("imported");
  });
  afterAll(() => disconnectDb());

  it("splits the request into parts in the letter's order, each with its own total and the whole request's", async () => {
    const { rows } = await asPractice(t, () => underpaymentWorklist(t.practiceId, { status: "all" }));
    // the three lines, each allowed far below Medicare's price for it, are the worklist's
    expect(rows.map((r) => r.cpt).sort()).toEqual(["97110", "97140", "97530"]);
    const payerId = rows[0]!.payerId;
    // the request's dollars: the three differences (expected allowed less allowed), summed here
    const wholeCents = rows.reduce((sum, r) => sum + r.varianceCents, 0);
    const whole = (await asPractice(t, () => appealLetter(t.practiceId, payerId)))!;
    // one part: by date of service, then claim, then line order: C1's 97110 and 97140 (March 2), C2's 97530 (March 4)
    expect(whole.lines.map((l) => l.cpt)).toEqual(["97110", "97140", "97530"]);
    expect(whole.part).toEqual({ number: 1, parts: 1, lines: 3, totalCents: wholeCents });
    expect(whole.totalCents).toBe(wholeCents);
    // every line carries CO-45 (down to the allowed) and PR-2 (coinsurance): each meaning once, by code
    expect(whole.lines.map((l) => l.adjustments.map((a) => a.code))).toEqual([
      ["CO-45", "PR-2"],
      ["CO-45", "PR-2"],
      ["CO-45", "PR-2"],
    ]);
    expect(whole.codeMeanings.map((m) => m.code)).toEqual(["2", "45"]);
    expect(whole.codeMeanings[0]!.text).toBe("Coinsurance Amount");
    expect(whole.codeMeanings[1]!.text).toMatch(/^Charge exceeds fee schedule\/maximum allowable/);

    // parts of two lines: 3 lines → 2 parts (2 lines, then 1); a third part asked for has none
    const part = (n: number) => asPractice(t, async () => (await appealLetter(t.practiceId, payerId, {}, { part: n, partLines: 2 }))!);
    const [first, second, past] = [await part(1), await part(2), await part(3)];
    expect(first.lines.map((l) => l.cpt)).toEqual(["97110", "97140"]);
    expect(second.lines.map((l) => l.cpt)).toEqual(["97530"]);
    expect(past.lines).toEqual([]);
    for (const [i, p] of [first, second, past].entries()) {
      expect(p.part).toEqual({ number: i + 1, parts: 2, lines: 3, totalCents: wholeCents });
      // each part's own total: the differences of its own lines
      const own = rows.filter((r) => p.lines.some((l) => l.id === r.id)).reduce((sum, r) => sum + r.varianceCents, 0);
      expect(p.totalCents).toBe(own);
    }
    expect(first.totalCents + second.totalCents).toBe(wholeCents);
    expect([...first.lines, ...second.lines].map((l) => l.id)).toEqual(whole.lines.map((l) => l.id));
  });

  it("finds a part that starts inside a day from the daily sums, and follows a line's status and the smallest difference", async () => {
    const { rows } = await asPractice(t, () => underpaymentWorklist(t.practiceId, { status: "all" }));
    const payerId = rows[0]!.payerId;
    const cents = (cpt: string) => rows.find((r) => r.cpt === cpt)!.varianceCents;
    // parts of one line: March 2 holds two lines (97110, 97140), so part 2 is the second line of
    // that day (the first day's lines before it are skipped), part 3 the only line of March 4
    const part = (n: number, filters = {}) =>
      asPractice(t, async () => (await appealLetter(t.practiceId, payerId, filters, { part: n, partLines: 1 }))!);
    const singles = [await part(1), await part(2), await part(3), await part(4)];
    expect(singles.map((p) => p.lines.map((l) => l.cpt))).toEqual([["97110"], ["97140"], ["97530"], []]);
    expect(singles.map((p) => p.lines.map((l) => l.dateOfService))).toEqual([["2026-03-02"], ["2026-03-02"], ["2026-03-04"], []]);
    for (const p of singles)
      expect(p.part).toMatchObject({ parts: 3, lines: 3, totalCents: cents("97110") + cents("97140") + cents("97530") });

    // the smallest difference is no filter of the daily sums: the rows are counted and paged
    // themselves, with the same order; 97140's difference is the smallest of the three
    const smallest = Math.min(cents("97110"), cents("97140"), cents("97530"));
    expect(smallest).toBe(cents("97140"));
    const larger = await part(1, { minCents: smallest + 1 });
    expect(larger.lines.map((l) => l.cpt)).toEqual(["97110"]);
    expect(larger.part).toEqual({ number: 1, parts: 2, lines: 2, totalCents: cents("97110") + cents("97530") });
    expect((await part(2, { minCents: smallest + 1 })).lines.map((l) => l.cpt)).toEqual(["97530"]);

    // marked recovered, 97140 leaves the letter at once (the sums are brought up to date first):
    // two lines left, one a part, the request's dollars those of 97110 and 97530
    const line = rows.find((r) => r.cpt === "97140")!;
    await asPractice(t, () =>
      setUnderpaymentStatus(
        { practiceId: t.practiceId, userId: t.users.MANAGER },
        { remitLineId: line.id, status: "RECOVERED", from: "OPEN", note: "" },
      ),
    );
    const after = [await part(1), await part(2), await part(3)];
    expect(after.map((p) => p.lines.map((l) => l.cpt))).toEqual([["97110"], ["97530"], []]);
    for (const p of after) expect(p.part).toMatchObject({ parts: 2, lines: 2, totalCents: cents("97110") + cents("97530") });
    // appealed lines stay in the letter: the request is for the open and the appealed ones
    const appealed = rows.find((r) => r.cpt === "97530")!;
    await asPractice(t, () =>
      setUnderpaymentStatus(
        { practiceId: t.practiceId, userId: t.users.MANAGER },
        { remitLineId: appealed.id, status: "APPEALED", from: "OPEN", note: "" },
      ),
    );
    expect((await part(2)).lines.map((l) => l.cpt)).toEqual(["97530"]);
  });
});
