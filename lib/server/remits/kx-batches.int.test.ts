// The KX totals of a remit import whose file touches one patient-year-pool from two of the
// writer's batches (LINES_PER_BATCH lines each): the pool's total is that of the whole file,
// whichever batch confirmed which of its lines, and the claim check that reads the pool's need
// for KX agrees with it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim } from "@/prisma/generator/x12";
import { isoDate } from "../core/dates";
import { disconnectDb } from "../core/db";
import { recomputeAllKx } from "../derived/kx-all";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";
import { import835 } from "./import";
import { LINES_PER_BATCH } from "./writer";

const VISITS = [
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
  "KB,Kim,Birch,1950-02-03,Medicare,medicare,1EG4TE5KB01,VKB1,CKB1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "KB,Kim,Birch,1950-02-03,Medicare,medicare,1EG4TE5KB01,VKB2,CKB2,2026-03-09,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
].join("\n");

const line = (procedureCode: string, serviceDate: string, allowed: number, charge: number) => ({
  procedureCode,
  modifiers: ["GP"],
  serviceDate,
  units: 2,
  chargeCents: charge,
  paidCents: Math.round(allowed * 0.8),
  allowedCents: allowed,
  adjustments: [
    { group: "CO", reason: "45", amountCents: charge - allowed },
    { group: "PR", reason: "2", amountCents: allowed - Math.round(allowed * 0.8) },
  ],
});

describe("KX totals of a pool touched by two batches of one file", () => {
  let t: TestPractice;

  beforeAll(async () => {
    t = await createTestPractice("kx-batches");
    await importVisitsCsv(t, VISITS);
    const usage = await asPractice(t, () =>
      importCsv({
        kind: "usage",
        practiceId: t.practiceId,
        userId: t.users.ADMIN,
        fileName: "usage.csv",
        content: Buffer.from("patient_id,year,pool,amount,source,as_of\nKB,2026,PT_SLP,2400.00,MAC portal,2026-03-01"),
      }),
    );
    expect(usage.status, JSON.stringify(usage.errors)).toBe("imported");
  }, 120_000);
  afterAll(() => disconnectDb());

  it("ends with the pool's total over both batches' lines, and the line past the KX threshold needs KX", async () => {
    // claims that are not ours (no such patient control number, no patient), two lines each: more
    // than a batch of lines between the pool's two claims, so that CKB1 is written with the first
    // batch and CKB2 with the second
    const filler: SyntheticClaim[] = Array.from({ length: Math.ceil(LINES_PER_BATCH / 2) + 10 }, (_, i) => ({
      patientControlNumber: `NOT-OURS-${i}`,
      payerClaimControlNumber: `F${i}`,
      serviceLines: [line("97110", "2026-03-02", 5000, 10000), line("97110", "2026-03-02", 5000, 10000)],
    }));
    const claims: SyntheticClaim[] = [
      { patientControlNumber: "CKB1", payerClaimControlNumber: "ICN-KB1", serviceLines: [line("97110", "2026-03-02", 7000, 10000)] },
      ...filler,
      { patientControlNumber: "CKB2", payerClaimControlNumber: "ICN-KB2", serviceLines: [line("97530", "2026-03-09", 9000, 12000)] },
    ];
    const { text } = generate835({ claims, payerName: "MEDICARE" });
    const batches: number[] = [];
    const r = await asPractice(t, () =>
      import835({
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "kx-two-batches.835",
        content: Buffer.from(text),
        hooks: { afterBatch: ({ lines }) => void batches.push(lines) },
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(r.counts.matchedClaims).toBe(2);
    // CKB1 with the first batch's lines, CKB2 (the file's last line) with the second's: the pool
    // was touched by both
    const total = 1 + 2 * filler.length + 1;
    expect(batches.length).toBe(2);
    expect(batches[0]).toBeLessThan(total);
    expect(batches[1]).toBe(total);

    const item = await db().kxQueueItem.findFirstOrThrow({
      where: { practiceId: t.practiceId, patient: { externalId: "KB" }, year: 2026, pool: "PT_SLP" },
    });
    // allowed here: 70.00 (VKB1, first batch) + 90.00 (VKB2, second batch) = 160.00
    expect(item.allowedHereCents).toBe(16000);
    // used elsewhere 2,400.00 first: 2,400.00 + 160.00 = 2,560.00
    expect(item.usedElsewhereCents).toBe(240000);
    expect(item.totalCents).toBe(256000);
    // 2,400.00 + 70.00 = 2,470.00 after VKB1: past the $2,000.00 alert level on 2026-03-02,
    // not past the $2,480.00 KX threshold; 2,470.00 + 90.00 = 2,560.00 after VKB2: past it on
    // 2026-03-09, below the $3,000.00 review threshold
    expect(item.level).toBe("kx");
    expect(item.alertCrossedOn && isoDate(item.alertCrossedOn)).toBe("2026-03-02");
    expect(item.kxCrossedOn && isoDate(item.kxCrossedOn)).toBe("2026-03-09");
    expect(item.reviewCrossedOn).toBeNull();
    // VKB2's 97530 crosses the KX threshold and has GP without KX: one line missing KX
    expect(item.linesMissingKx).toBe(1);
    // both lines confirmed by the remit: nothing estimated
    expect(item.estimated).toBe(false);
    expect(item.visitCount).toBe(2);
    expect(item.firstVisitOn && isoDate(item.firstVisitOn)).toBe("2026-03-02");
    expect(item.lastVisitOn && isoDate(item.lastVisitOn)).toBe("2026-03-09");
    // a line past the KX threshold without KX, in the queue's first rank
    expect(item.urgency).toBe(0);

    // the stored claim checks read the pool's need for KX: VKB2 misses KX, VKB1 does not
    const checks = await db().visitClaimCheck.findMany({
      where: { practiceId: t.practiceId, visit: { externalId: { in: ["VKB1", "VKB2"] } } },
      include: { visit: { select: { externalId: true } } },
    });
    const codesOf = (externalId: string) => checks.find((c) => c.visit.externalId === externalId)?.codes ?? [];
    expect(codesOf("VKB2")).toContain("missing_kx");
    expect(codesOf("VKB1")).not.toContain("missing_kx");

    // the set-based recompute of every pool (kx-all.ts) finds nothing to change
    expect(await recomputeAllKx(t.practiceId)).toEqual({ created: 0, updated: 0 });
  }, 120_000);
});
