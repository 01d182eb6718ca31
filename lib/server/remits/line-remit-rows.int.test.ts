// The service lines' remit figures live in ServiceLineRemit, one row per line with a remit
// (migration service_line_remit): a line's first remit inserts its row, a later remit of the
// same line updates it, a row whose figures stay as they are is left alone, and deleting the
// service line deletes its row. Each remit writer (writer.ts: the COPY pipeline, which confirms a
// line netted alone at write, and the plain writer) is held to the same worked examples.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim } from "@/prisma/generator/x12";
import { disconnectDb } from "../core/db";
import { asPractice, createTestPractice, db, importVisitsCsv, type TestPractice } from "../testing";
import { import835 } from "./import";
import { REMIT_WRITERS } from "./writer";

const VISITS = [
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-09,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
].join("\n");

const patient = { lastName: "Walker", firstName: "Ann", memberId: "1EG4TE5MK73" };

/** One 97110 line of C1: allowed `allowed`, paid 80% of it, PR-2 (coinsurance) the other 20%, CO-45 the rest of $100; `sign` −1 reverses it. */
function c1(icn: string, allowed: number, status = "1", sign = 1): SyntheticClaim {
  const paid = (allowed * 8) / 10;
  return {
    patientControlNumber: "C1",
    status,
    payerClaimControlNumber: icn,
    patient,
    serviceLines: [
      {
        procedureCode: "97110",
        modifiers: ["GP"],
        serviceDate: "2026-03-02",
        units: 2,
        chargeCents: sign * 10000,
        paidCents: sign * paid,
        allowedCents: sign * allowed,
        adjustments: [
          { group: "CO", reason: "45", amountCents: sign * (10000 - allowed) },
          { group: "PR", reason: "2", amountCents: sign * (allowed - paid) },
        ],
      },
    ],
  };
}

/** V2's 97530 paid in full: charge, allowed and paid $70. */
const c2: SyntheticClaim = {
  patientControlNumber: "C2",
  payerClaimControlNumber: "ICN-C2",
  patient,
  serviceLines: [
    {
      procedureCode: "97530",
      modifiers: ["GP"],
      serviceDate: "2026-03-09",
      units: 2,
      chargeCents: 7000,
      paidCents: 7000,
      allowedCents: 7000,
      adjustments: [],
    },
  ],
};

function file(claims: SyntheticClaim[], trace: string): Buffer {
  const { text } = generate835({ claims, payerName: "MEDICARE" });
  return Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, `TRN*1*${trace}`));
}

interface Row {
  visit: string;
  serviceLineId: number;
  visitId: number;
  lineVisitId: number;
  expected: number | null;
  lineExpected: number | null;
  lineCount: number;
  netCount: number;
  paid: number;
  allowedNet: number;
  pr: number;
  denial: string | null;
  allowed: number | null;
  work: string | null;
  /** the transaction that wrote the row's current version */
  xmin: string;
}

async function rows(t: TestPractice): Promise<Row[]> {
  return db().$queryRawUnsafe<Row[]>(
    `select v."externalId" as visit, r."serviceLineId", r."visitId", s."visitId" as "lineVisitId",
            r."expectedAllowedCents" as expected, s."expectedAllowedCents" as "lineExpected",
            r."remitLineCount" as "lineCount", r."remitNetCount" as "netCount", r."remitPaidCents" as paid,
            r."remitAllowedNetCents" as "allowedNet", r."remitPatientRespCents" as pr, r."remitDenialCause" as denial,
            r."remitAllowedCents" as allowed, r."remitWork" as work, r.xmin::text as xmin
     from "ServiceLineRemit" r join "ServiceLine" s on s.id = r."serviceLineId" join "Visit" v on v.id = s."visitId"
     where r."practiceId" = $1 order by v."externalId"`,
    t.practiceId,
  );
}

describe.each(REMIT_WRITERS)("ServiceLineRemit rows written by a remit import (%s writer)", (writer) => {
  let t: TestPractice;
  const importFile = async (name: string, content: Buffer) => {
    const r = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: name, content }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
  };

  beforeAll(async () => {
    t = await createTestPractice(`line-remit-rows-${writer}`);
    await importVisitsCsv(t, VISITS);
  });
  afterAll(() => disconnectDb());

  it("inserts a row for each line's first remit, updates it for a reversal and correction, and leaves the others alone", async () => {
    // no remit yet: no row
    expect(await rows(t)).toEqual([]);

    // first file: C1 allowed $75.00, paid 80% = $60.00, PR 20% = $15.00; C2 allowed and paid $70.00
    await importFile("first.835", file([c1("ICN-C1", 7500), c2], "TRACE-1"));
    const first = await rows(t);
    expect(first.map((r) => r.visit)).toEqual(["V1", "V2"]);
    for (const r of first) {
      // the copies of the line's visit and expected allowed amount are the line's
      expect(r.visitId).toBe(r.lineVisitId);
      expect(r.expected).toBe(r.lineExpected);
    }
    expect(first[0]).toMatchObject({
      lineCount: 1,
      netCount: 1,
      paid: 6000,
      allowedNet: 7500,
      pr: 1500,
      denial: null,
      allowed: 7500,
      work: null,
    });
    expect(first[1]).toMatchObject({
      lineCount: 1,
      netCount: 1,
      paid: 7000,
      allowedNet: 7000,
      pr: 0,
      denial: null,
      allowed: 7000,
      work: null,
    });

    // second file: C1 reversed (CLP02 22, the first payment's amounts negated) and paid again
    // with allowed $80.00: paid 80% = $64.00, PR 20% = $16.00. V1's three remit lines:
    //   lines counted: original (reversed) + reversal + correction (paid) = 3
    //   net count:      +1 − 1 + 1 = 1 (adjudicated)
    //   paid:           6,000 − 6,000 + 6,400 = 6,400
    //   allowed, net:   7,500 − 7,500 + 8,000 = 8,000
    //   PR:             1,500 − 1,500 + 1,600 = 1,600
    //   confirmed allowed: the correction, the line that stands: 8,000
    await importFile("second.835", file([c1("ICN-C1", 7500, "22", -1), c1("ICN-C1-CORR", 8000)], "TRACE-2"));
    const second = await rows(t);
    expect(second.map((r) => r.visit)).toEqual(["V1", "V2"]);
    expect(second[0]).toMatchObject({
      serviceLineId: first[0]!.serviceLineId,
      lineCount: 3,
      netCount: 1,
      paid: 6400,
      allowedNet: 8000,
      pr: 1600,
      denial: null,
      allowed: 8000,
      work: null,
    });
    // V1's row written again by the second import; V2's, which the second file does not name, not
    expect(second[0]!.xmin).not.toBe(first[0]!.xmin);
    expect(second[1]).toEqual(first[1]);
  });

  it("follows the line's expected allowed amount, and goes when the service line goes", async () => {
    const [v1, v2] = await rows(t);
    // the contract re-priced: the row's copy follows the line (the underpaid index reads it)
    await db().serviceLine.update({ where: { id: v1!.serviceLineId }, data: { expectedAllowedCents: 9100 } });
    expect((await rows(t))[0]).toMatchObject({ expected: 9100, lineExpected: 9100, allowed: 8000 });

    await db().serviceLine.delete({ where: { id: v1!.serviceLineId } });
    expect(await db().serviceLineRemit.count({ where: { serviceLineId: v1!.serviceLineId } })).toBe(0);
    // the other line's row stays as it was
    expect(await rows(t)).toEqual([v2]);
    // its remit lines stay, unmatched (the key's ON DELETE SET NULL)
    expect(await db().remitLine.count({ where: { practiceId: t.practiceId, serviceLineId: null } })).toBe(3);
  });
});
