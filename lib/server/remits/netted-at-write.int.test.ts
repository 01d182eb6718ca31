// The COPY writer writes a matched line that is its service line's only remit with what netting
// gives a line alone (role, expected, variance), and the pipeline stores its service line's sums
// and confirmed allowed in one update once it has checked the line is indeed alone
// (lib/server/derived/remits.ts nettedAlone, confirmNettedAtWrite). The plain writer takes the
// general path (every service line netted with all its remit lines after the write): both
// writers must leave the same figures, and those of the worked examples below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim } from "@/prisma/generator/x12";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";
import { import835 } from "./import";
import type { RemitWriterKind } from "./writer";

const HEADER =
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note";
const VISITS = [
  HEADER,
  // V1 paid; V2 denied for a missing KX; V3 paid by a payer as secondary; V4 paid twice in one
  // file (a duplicate payment); V5 paid in a first file, then paid again by a second one
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-09,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V3,C3,2026-03-16,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V4,C4,2026-03-23,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V5,C5,2026-03-30,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
].join("\n");

const patient = { lastName: "Walker", firstName: "Ann", memberId: "1EG4TE5MK73" };

/** A claim paying its one 97110 line: charge $100, allowed $75, paid $60, CO-45 $25, PR-2 (coinsurance) $15. */
function paid(pcn: string, date: string, status = "1"): SyntheticClaim {
  return {
    patientControlNumber: pcn,
    status,
    payerClaimControlNumber: `ICN-${pcn}`,
    patient,
    serviceLines: [
      {
        procedureCode: "97110",
        modifiers: ["GP"],
        serviceDate: date,
        units: 2,
        chargeCents: 10000,
        paidCents: 6000,
        allowedCents: 7500,
        adjustments: [
          { group: "CO", reason: "45", amountCents: 2500 },
          { group: "PR", reason: "2", amountCents: 1500 },
        ],
      },
    ],
  };
}

/** V2's 97530 denied CO-119 (KX threshold passed without KX): nothing allowed, nothing paid. */
const denied: SyntheticClaim = {
  patientControlNumber: "C2",
  payerClaimControlNumber: "ICN-C2",
  patient,
  serviceLines: [
    {
      procedureCode: "97530",
      modifiers: ["GP"],
      serviceDate: "2026-03-09",
      units: 2,
      chargeCents: 12000,
      paidCents: 0,
      allowedCents: 0,
      adjustments: [{ group: "CO", reason: "119", amountCents: 12000 }],
    },
  ],
};

function file(claims: SyntheticClaim[], trace: string): Buffer {
  const { text } = generate835({ claims, payerName: "MEDICARE" });
  return Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, `TRN*1*${trace}`));
}

// V4 paid twice in the same payment (the payer's claim numbers differ): two remits of one service
// line in one batch, never netted at write; V5 paid again in a second file under another trace:
// alone in its batch, netted at write, but not alone once written (the pipeline nets it with the first)
const FIRST = () =>
  file(
    [
      paid("C1", "2026-03-02"),
      denied,
      paid("C3", "2026-03-16", "2"),
      paid("C4", "2026-03-23"),
      { ...paid("C4", "2026-03-23"), payerClaimControlNumber: "ICN-C4-AGAIN" },
      paid("C5", "2026-03-30"),
    ],
    "TRACE-1",
  );
const SECOND = () => file([paid("C5", "2026-03-30")], "TRACE-2");

interface Figures {
  lines: Record<string, unknown>[];
  remits: Record<string, unknown>[];
  kx: Record<string, unknown>[];
}

async function figures(t: TestPractice): Promise<Figures> {
  const lines = await db().$queryRawUnsafe<Record<string, unknown>[]>(
    `select v."externalId" as visit, s."expectedAllowedCents" as expected, r."remitAllowedCents" as allowed, r."remitWork" as work,
            coalesce(r."remitLineCount", 0) as "lineCount", coalesce(r."remitNetCount", 0) as "netCount",
            coalesce(r."remitPaidCents", 0) as paid, coalesce(r."remitAllowedNetCents", 0) as "allowedNet",
            coalesce(r."remitPatientRespCents", 0) as pr, r."remitDenialCause" as denial
     from "ServiceLine" s join "Visit" v on v.id = s."visitId" left join "ServiceLineRemit" r on r."serviceLineId" = s.id
     where s."practiceId" = $1 order by v."externalId"`,
    t.practiceId,
  );
  const remits = await db().$queryRawUnsafe<Record<string, unknown>[]>(
    `select v."externalId" as visit, rc."patientControlNumber" as pcn, rl."netRole" as role,
            rl."expectedAllowedCents" as expected, rl."varianceCents" as variance
     from "RemitLine" rl join "RemitClaim" rc on rc.id = rl."remitClaimId"
     join "ServiceLine" s on s.id = rl."serviceLineId" join "Visit" v on v.id = s."visitId"
     where rl."practiceId" = $1 order by v."externalId", rl.id`,
    t.practiceId,
  );
  const kx = await db().$queryRawUnsafe<Record<string, unknown>[]>(
    `select year, pool::text, "allowedHereCents" as allowed, level::text, estimated, "linesToRebill" as rebill
     from "KxQueueItem" where "practiceId" = $1 order by year, pool`,
    t.practiceId,
  );
  return { lines, remits, kx };
}

async function importBoth(writer: RemitWriterKind): Promise<{ t: TestPractice; warnings: string[] }> {
  const t = await createTestPractice(`netted-at-write-${writer}`);
  await importVisitsCsv(t, VISITS);
  const warnings: string[] = [];
  for (const [name, content] of [
    ["first.835", FIRST()],
    ["second.835", SECOND()],
  ] as const) {
    const r = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: name, content }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    warnings.push(...r.warnings.map((w) => w.message));
  }
  return { t, warnings };
}

describe("remit lines netted as they are written (COPY writer) against netted after (plain writer)", () => {
  let copy: { t: TestPractice; warnings: string[] };
  let plain: { t: TestPractice; warnings: string[] };

  beforeAll(async () => {
    copy = await importBoth("copy");
    plain = await importBoth("plain");
  });
  afterAll(() => disconnectDb());

  it("stores the figures of the worked examples", async () => {
    const { lines, remits } = await figures(copy.t);
    const line = (visit: string) => lines.find((l) => l.visit === visit)!;
    const expectedOf = (visit: string) => line(visit).expected as number;
    for (const visit of ["V1", "V2", "V3", "V4", "V5"]) expect(expectedOf(visit)).not.toBeNull();

    // V1: alone, primary: allowed $75.00 confirmed; variance = expected − 7,500
    expect(line("V1")).toMatchObject({ allowed: 7500, work: null, lineCount: 1, netCount: 1, paid: 6000, allowedNet: 7500, pr: 1500 });
    expect(remits.filter((r) => r.visit === "V1")).toEqual([
      { visit: "V1", pcn: "C1", role: "paid", expected: expectedOf("V1"), variance: expectedOf("V1") - 7500 },
    ]);
    // V2: a CO-119 denial on a Medicare line without GA is work (rebill with KX): no confirmed
    // allowed, no variance; the expected amount stays on the remit line
    expect(line("V2")).toMatchObject({
      allowed: null,
      work: "rebill_kx",
      lineCount: 1,
      netCount: 1,
      paid: 0,
      allowedNet: 0,
      denial: "missing_kx",
    });
    expect(remits.filter((r) => r.visit === "V2")).toEqual([
      { visit: "V2", pcn: "C2", role: "paid", expected: expectedOf("V2"), variance: null },
    ]);
    // V3: CLP02 2 (processed as secondary): cash only, $60.00 paid; no allowed, expected or variance
    expect(line("V3")).toMatchObject({ allowed: null, work: null, lineCount: 1, netCount: 0, paid: 6000, allowedNet: 0, pr: 0 });
    expect(remits.filter((r) => r.visit === "V3")).toEqual([{ visit: "V3", pcn: "C3", role: "secondary", expected: null, variance: null }]);
    // V4: two payments of the same payment both stand (not duplicates: same trace): allowed
    // 7,500 + 7,500 = 15,000, paid 6,000 + 6,000 = 12,000; the variance on the later one only,
    // expected − 15,000
    expect(line("V4")).toMatchObject({ allowed: 15000, lineCount: 2, netCount: 2, paid: 12000, allowedNet: 15000, pr: 3000 });
    expect(remits.filter((r) => r.visit === "V4")).toEqual([
      { visit: "V4", pcn: "C4", role: "paid", expected: expectedOf("V4"), variance: null },
      { visit: "V4", pcn: "C4", role: "paid", expected: expectedOf("V4"), variance: expectedOf("V4") - 15000 },
    ]);
    // V5: paid in the first file (alone then) and again under a new trace in the second: the
    // second is a duplicate payment (counted nowhere), the first still stands with its variance
    expect(line("V5")).toMatchObject({ allowed: 7500, lineCount: 1, netCount: 1, paid: 6000, allowedNet: 7500 });
    expect(remits.filter((r) => r.visit === "V5")).toEqual([
      { visit: "V5", pcn: "C5", role: "paid", expected: expectedOf("V5"), variance: expectedOf("V5") - 7500 },
      { visit: "V5", pcn: "C5", role: "duplicate", expected: null, variance: null },
    ]);
    expect(copy.warnings.some((w) => w.startsWith("1 line(s) repeat a claim payment already on file"))).toBe(true);
  });

  it("leaves the same figures as the general path: service lines, remit lines, KX totals, warnings", async () => {
    const fast = await figures(copy.t);
    const general = await figures(plain.t);
    expect(fast.lines).toEqual(general.lines);
    expect(fast.remits).toEqual(general.remits);
    expect(fast.kx).toEqual(general.kx);
    expect(fast.kx.length).toBeGreaterThan(0);
    expect(copy.warnings).toEqual(plain.warnings);
  });
});
