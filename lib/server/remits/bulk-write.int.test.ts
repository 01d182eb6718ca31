// How the remit writers write, against PostgreSQL, each of them (writer.ts: the COPY pipeline
// and the plain writer run the same tests): every odd character of a field arrives as the reader
// read it, the cascades that replaced the remit tables' foreign keys, batch-by-batch
// confirmation, and the import's side connection closed when it ends; and COPY is sent on the
// import's own transaction, never outside one (migration remit_bulk_writes, docs/performance.md).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate835, type SyntheticClaim } from "@/prisma/generator/x12";
import { parse835Sync } from "@/lib/x12/read835";
import { disconnectDb, SIDE_CONNECTION_NAME, transactionWithConnection } from "../core/db";
import { asPractice, createTestPractice, importVisitsCsv, type TestPractice, db, withRemit } from "../testing";
import { copyIn, OUTSIDE_TRANSACTION } from "./copy";
import { import835 } from "./import";
import { LINES_PER_BATCH, REMIT_WRITERS } from "./writer";

const VISITS = [
  "patient_id,first_name,last_name,birth_date,payer,payer_kind,member_id,visit_id,claim_id,date_of_service,therapist_npi,therapist_name,therapist_credential,place_of_service,cpt,modifiers,minutes,units_billed,charge,note",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V1,C1,2026-03-02,1234567890,Pat Therapist,PT,11,97110,GP,30,2,100.00,",
  "P1,Ann,Walker,1950-02-03,Medicare,medicare,1EG4TE5MK73,V2,C2,2026-03-09,1234567890,Pat Therapist,PT,11,97530,GP,30,2,120.00,",
].join("\n");

/** Characters that COPY's text format, a PostgreSQL array or JSON would take for syntax. */
const ODD = `O'Brien \\ "Q" {a,b} tab\there é`;

function oddClaim(): SyntheticClaim {
  return {
    patientControlNumber: "C1",
    payerClaimControlNumber: `ICN ${ODD}`,
    patient: { lastName: ODD, firstName: "Ann, \\N", memberId: "1EG4TE5MK73" },
    serviceLines: [
      {
        procedureCode: "97110",
        modifiers: ["GP", "5\\9"],
        serviceDate: "2026-03-02",
        units: 2,
        chargeCents: 10000,
        paidCents: 6000,
        allowedCents: 7500,
        remarkCodes: ['N"1', "M{2}", "\\N"],
        adjustments: [
          { group: "CO", reason: "45", amountCents: 2500 },
          { group: "PR", reason: "2", amountCents: 1500 },
        ],
      },
      {
        procedureCode: "97140",
        modifiers: [],
        serviceDate: "2026-03-02",
        chargeCents: 5000,
        paidCents: 0,
        allowedCents: 0,
        remarkCodes: ["N640", "NULL"],
        adjustments: [{ group: "CO", reason: "119", amountCents: 5000 }],
      },
    ],
  };
}

describe.each(REMIT_WRITERS)("the remit writer's bulk writes (%s writer)", (writer) => {
  let t: TestPractice;

  beforeAll(async () => {
    t = await createTestPractice(`bulk-write-${writer}`);
    await importVisitsCsv(t, VISITS);
  });
  afterAll(() => disconnectDb());

  it("stores every field as the reader read it, whatever characters it holds", async () => {
    const { text } = generate835({ claims: [oddClaim()], payerName: "MEDICARE" });
    const content = Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, "TRN*1*TRACE-ODD"));
    const parsed = parse835Sync(content.toString("utf8")).transactions[0]!.claims[0]!;
    const r = await asPractice(t.practiceId, () =>
      import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "odd.835", content }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(r.counts.matchedClaims).toBe(1);

    const claim = await db().remitClaim.findFirstOrThrow({
      where: { practiceId: t.practiceId, patientControlNumber: "C1" },
      include: { lines: { orderBy: { lineOrder: "asc" } } },
    });
    expect(claim.payerClaimNumber).toBe(parsed.payerClaimControlNumber);
    expect(claim.payerClaimNumber).toContain(ODD);
    expect(claim.patientName).toBe(`${parsed.patient!.lastName}, ${parsed.patient!.firstName}`);
    expect(claim.matchStatus).toBe("MATCHED");
    expect(claim.lines).toHaveLength(2);
    const [first, second] = claim.lines;
    expect(first!.modifiers).toEqual(parsed.serviceLines[0]!.procedure.modifiers);
    expect(first!.modifiers).toContain("5\\9");
    expect(first!.remarkCodes).toEqual(parsed.serviceLines[0]!.remarkCodes);
    expect(first!.remarkCodes).toEqual(['N"1', "M{2}", "\\N"]);
    expect(first!.adjustments).toEqual([
      { g: "CO", r: "45", a: 2500 },
      { g: "PR", r: "2", a: 1500 },
    ]);
    expect(first!.patientRespCents).toBe(1500);
    expect(first!.serviceLineId).not.toBeNull();
    expect(first!.matchStatus).toBe("MATCHED");
    expect(first!.serviceDate?.toISOString().slice(0, 10)).toBe("2026-03-02");
    expect(second!.modifiers).toEqual([]);
    // the word NULL is a remark code here, not a missing one
    expect(second!.remarkCodes).toEqual(["N640", "NULL"]);
    expect(second!.denialCause).toBe("missing_kx");
    expect(second!.serviceLineId).toBeNull(); // no 97140 on our claim
    expect(second!.matchStatus).toBe("UNMATCHED");

    // what the insert triggers did: the service line's remit summary, the week marked stale
    const ours = await withRemit(await db().serviceLine.findUniqueOrThrow({ where: { id: first!.serviceLineId! } }));
    expect(ours.remitLineCount).toBe(1);
    expect(ours.remitPaidCents).toBe(6000);
    expect(ours.remitPatientRespCents).toBe(1500);
    expect(ours.remitAllowedCents).toBe(7500);
  });

  it("deletes a payment's claims and lines with it, as the foreign keys' cascade did", async () => {
    const { text } = generate835({ claims: [{ ...oddClaim(), payerClaimControlNumber: "ICN-DEL" }], payerName: "MEDICARE" });
    const r = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "delete-me.835",
        content: Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, "TRN*1*TRACE-DEL")),
      }),
    );
    expect(r.status).toBe("imported");
    const payment = await db().remitPayment.findFirstOrThrow({ where: { practiceId: t.practiceId, traceNumber: "TRACE-DEL" } });
    const claims = await db().remitClaim.findMany({ where: { paymentId: payment.id }, select: { id: true } });
    expect(claims).toHaveLength(1);
    const matched = await db().remitLine.findFirstOrThrow({ where: { remitClaimId: claims[0]!.id, serviceLineId: { not: null } } });
    // the same claim payment as the earlier test's under a new trace number: a duplicate payment,
    // kept (two remit lines on our line) and counted once in the summary
    expect(await db().remitLine.count({ where: { serviceLineId: matched.serviceLineId } })).toBe(2);
    expect(matched.netRole).toBe("duplicate");
    expect((await withRemit(await db().serviceLine.findUniqueOrThrow({ where: { id: matched.serviceLineId! } }))).remitLineCount).toBe(1);

    await db().remitPayment.delete({ where: { id: payment.id } });
    expect(await db().remitClaim.count({ where: { paymentId: payment.id } })).toBe(0);
    expect(await db().remitLine.count({ where: { remitClaimId: claims[0]!.id } })).toBe(0);
    // the lines' delete trigger refreshed the service line's remit summary
    expect(await db().remitLine.count({ where: { serviceLineId: matched.serviceLineId } })).toBe(1);
    expect((await withRemit(await db().serviceLine.findUniqueOrThrow({ where: { id: matched.serviceLineId! } }))).remitLineCount).toBe(1);
  });

  it("confirms batch by batch: a reversal and correction a batch after the original still net against it", async () => {
    const line = (allowed: number, sign = 1) => ({
      procedureCode: "97530",
      modifiers: ["GP"],
      serviceDate: "2026-03-09",
      units: 2,
      chargeCents: sign * 12000,
      paidCents: sign * allowed,
      allowedCents: sign * allowed,
      adjustments: [{ group: "CO", reason: "45", amountCents: sign * (12000 - allowed) }],
    });
    const filler: SyntheticClaim[] = Array.from({ length: Math.ceil(LINES_PER_BATCH / 2) + 10 }, (_, i) => ({
      patientControlNumber: `NOT-OURS-${i}`,
      payerClaimControlNumber: `F${i}`,
      serviceLines: [line(5000), line(5000)],
    }));
    const claims: SyntheticClaim[] = [
      { patientControlNumber: "C2", payerClaimControlNumber: "ICN-ORIG", serviceLines: [line(7000)] },
      ...filler,
      { patientControlNumber: "C2", payerClaimControlNumber: "ICN-ORIG", status: "22", serviceLines: [line(7000, -1)] },
      { patientControlNumber: "C2", payerClaimControlNumber: "ICN-CORR", serviceLines: [line(7600)] },
    ];
    const { text } = generate835({ claims, payerName: "MEDICARE" });
    const batches: number[] = [];
    const r = await asPractice(t.practiceId, () =>
      import835({
        writer,
        practiceId: t.practiceId,
        userId: t.users.MANAGER,
        fileName: "two-batches.835",
        content: Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, "TRN*1*TRACE-BATCHES")),
        hooks: { afterBatch: ({ lines }) => void batches.push(lines) },
      }),
    );
    expect(r.status, JSON.stringify(r.errors)).toBe("imported");
    expect(batches.length).toBeGreaterThanOrEqual(2); // the original and its reversal were written apart
    const ours = await withRemit(
      await db().serviceLine.findFirstOrThrow({
        where: { practiceId: t.practiceId, cpt: "97530", visit: { externalId: "V2" } },
      }),
    );
    expect(ours.remitAllowedCents).toBe(7600);
    expect(ours.remitNetCount).toBe(1);
    const remitLines = await db().remitLine.findMany({ where: { serviceLineId: ours.id }, orderBy: { id: "asc" } });
    expect(remitLines.map((l) => l.allowedCents)).toEqual([7000, -7000, 7600]);
    // the variance sits on the line that stands (the correction), none on the others
    expect(remitLines.map((l) => l.varianceCents === null)).toEqual([true, true, ours.expectedAllowedCents === null]);
    if (ours.expectedAllowedCents !== null) expect(remitLines[2]!.varianceCents).toBe(ours.expectedAllowedCents - 7600);
  });

  it("closes the import's side connection when the import ends, imported or rejected", async () => {
    const sides = async () =>
      Number(
        (
          await db().$queryRawUnsafe<{ n: bigint }[]>(
            "select count(*) as n from pg_stat_activity where application_name = $1 and datname = current_database()",
            SIDE_CONNECTION_NAME,
          )
        )[0]!.n,
      );
    const { text } = generate835({ claims: [{ ...oddClaim(), payerClaimControlNumber: "ICN-SIDE" }], payerName: "MEDICARE" });
    const good = Buffer.from(text.replace(/TRN\*1\*SYN\d+/g, "TRN*1*TRACE-SIDE"));
    expect(
      (
        await asPractice(t.practiceId, () =>
          import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "side.835", content: good }),
        )
      ).status,
    ).toBe("imported");
    const cut = good.subarray(0, good.lastIndexOf("SVC"));
    expect(
      (
        await asPractice(t.practiceId, () =>
          import835({ writer, practiceId: t.practiceId, userId: t.users.MANAGER, fileName: "cut.835", content: cut }),
        )
      ).status,
    ).toBe("rejected");
    expect(await sides()).toBe(0);
  });
});

describe("COPY on the import's transaction", () => {
  let t: TestPractice;
  const url = () => process.env.DATABASE_URL!;

  beforeAll(async () => {
    t = await createTestPractice("bulk-write-connection");
  });
  afterAll(() => disconnectDb());

  it("hands each of two transactions started at once the connection it runs on", async () => {
    const seen = await Promise.all(
      [1, 2].map(() =>
        transactionWithConnection(db(), async (tx, connection) => {
          const [{ xid }] = await tx.$queryRawUnsafe<{ xid: string }[]>("select txid_current()::text as xid");
          const { rows } = await connection.query("select txid_current()::text as xid");
          return { prisma: xid, handed: rows[0].xid as string };
        }),
      ),
    );
    expect(seen[0]!.handed).toBe(seen[0]!.prisma);
    expect(seen[1]!.handed).toBe(seen[1]!.prisma);
    expect(seen[0]!.prisma).not.toBe(seen[1]!.prisma);
  });

  it("sends a COPY on the transaction's own connection, and refuses one outside a transaction", async () => {
    await transactionWithConnection(db(), async (tx, connection) => {
      const [{ xid }] = await tx.$queryRawUnsafe<{ xid: string }[]>("select txid_current()::text as xid");
      const { rows } = await connection.query("select txid_current()::text as xid");
      expect(rows[0].xid).toBe(xid);
    });

    const outside = new pg.Client({ connectionString: url() });
    await outside.connect();
    try {
      const before = await db().remitLine.count();
      await expect(
        copyIn(
          outside,
          `COPY "RemitLine" ("practiceId", "remitClaimId", "lineOrder", cpt, modifiers, "chargeCents", "paidCents", "allowedCents", units, "remarkCodes", "matchStatus") FROM STDIN`,
          `${t.practiceId}\t1\t0\t97110\t{}\t1\t1\t1\t1\t{}\tUNMATCHED\n`,
        ),
      ).rejects.toThrow(OUTSIDE_TRANSACTION);
      expect(await db().remitLine.count()).toBe(before);
      // the connection is still usable afterwards
      expect((await outside.query("select 1 as one")).rows[0].one).toBe(1);
    } finally {
      await outside.end();
    }
  });
});
