// The set-based recompute of every total (recompute-all.ts) gives exactly what recomputeKx
// gives, line for line: on generated data full of edge cases (same-day visits, unknown
// years, unconfirmed and confirmed lines, lower-case modifiers, GA lines, usage with no
// lines, resolved and reviewed items), and on the example practice's expected export.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolOfLine } from "@/lib/billing";
import type { Pool } from "@/lib/generated/prisma/client";
import { disconnectDb } from "../core/db";
import { exportSourceFor } from "../exports";
import { serialize } from "../lists/format";
import { importCsv } from "../imports";
import { asPractice, createTestPractice, db } from "../testing";
import { saveUsedElsewhere } from "./actions";
import { type PoolKey, recomputeKx } from "../derived/kx";
import { recomputeAllKx } from "../derived/kx-all";
import { addPatient, createKxFixture, type FixtureLine, type KxFixture } from "./test-fixtures";

afterAll(() => disconnectDb());

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

const COMPARED = [
  "allowedHereCents",
  "usedElsewhereCents",
  "totalCents",
  "level",
  "alertCrossedOn",
  "kxCrossedOn",
  "reviewCrossedOn",
  "linesMissingKx",
  "estimated",
  "visitCount",
  "firstVisitOn",
  "lastVisitOn",
  "therapistIds",
  "clinicIds",
  "urgency",
  "status",
] as const;

async function itemsOf(practiceId: number) {
  const rows = await db().kxQueueItem.findMany({
    where: { practiceId },
    orderBy: [{ patientId: "asc" }, { year: "asc" }, { pool: "asc" }],
  });
  return rows.map((r) => {
    const o: Record<string, unknown> = { key: `${r.patientId}|${r.year}|${r.pool}` };
    for (const c of COMPARED) o[c] = r[c] instanceof Date ? (r[c] as Date).toISOString().slice(0, 10) : r[c];
    return o;
  });
}

/** Puts the items back exactly as in `state` (deleting items created since). */
async function restore(practiceId: number, rows: RawItem[]) {
  const keep = new Set(rows.map((r) => r.id));
  await db().kxQueueItem.deleteMany({ where: { practiceId, id: { notIn: [...keep] } } });
  for (const r of rows) {
    const { id, practiceId: _p, patientId: _pt, year: _y, pool: _po, updatedAt: _u, ...data } = r;
    await db().kxQueueItem.update({ where: { id }, data });
  }
}
type RawItem = Awaited<ReturnType<ReturnType<typeof db>["kxQueueItem"]["findMany"]>>[number];

async function recomputeEveryKeyOneByOne(practiceId: number) {
  const fromLines = await db().$queryRaw<{ patientId: number; year: number; pool: Pool }[]>`
    select distinct v."patientId", extract(year from v."dateOfService")::int as year, s.pool
    from "ServiceLine" s join "Visit" v on v.id = s."visitId" join "Payer" p on p.id = v."payerId"
    where s."practiceId" = ${practiceId} and p.kind = 'medicare' and s.pool is not null`;
  const items = await db().kxQueueItem.findMany({ where: { practiceId }, select: { patientId: true, year: true, pool: true } });
  const keys: PoolKey[] = [...fromLines, ...items];
  await db().$transaction((tx) => asPractice(practiceId, () => recomputeKx(tx, practiceId, keys)), { timeout: 120_000 });
}

describe("recomputeAllKx", () => {
  let f: KxFixture;
  beforeAll(async () => {
    f = await createKxFixture("kx-recompute-all");
    const r = rng(20260101);
    const modifierSets: string[][] = [
      ["GP"],
      ["GP"],
      ["GO"],
      ["GN"],
      ["GP", "KX"],
      ["GO", "KX"],
      ["GP", "GA"],
      ["GN", "kx"],
      ["GP", "59"],
      [],
      ["GO", "CO"],
    ];
    // therapists with and without a clinic; visits with and without their own clinic
    const otherClinic = await db().clinic.create({ data: { practiceId: f.practiceId, name: "Uptown" } });
    const roaming = await db().therapist.create({
      data: { practiceId: f.practiceId, npi: "1234567901", name: "Roaming OT", credential: "OT" },
    });
    const uptown = await db().therapist.create({
      data: { practiceId: f.practiceId, npi: "1234567919", name: "Uptown SLP", credential: "SLP", clinicId: otherClinic.id },
    });
    const therapistIds = [f.therapistId, roaming.id, uptown.id];
    const clinicIds = [null, null, f.clinicId, otherClinic.id];
    // written in bulk (the equivalence is what is tested here, not the incremental path)
    const visitRows: {
      practiceId: number;
      externalId: string;
      patientId: number;
      therapistId: number;
      clinicId: number | null;
      payerId: number;
      dateOfService: Date;
    }[] = [];
    const linesByVisit = new Map<string, FixtureLine[]>();
    const usage: { patientId: number; pool: "PT_SLP" | "OT"; amount: number }[] = [];
    for (let p = 0; p < 36; p++) {
      const patientId = await addPatient(f, `RA-${String(p).padStart(3, "0")}`);
      const visits = r.int(0, 34);
      for (let v = 0; v < visits; v++) {
        const year = r.pick([2026, 2026, 2026, 2025, 2017]);
        const date = `${year}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`;
        const lines: FixtureLine[] = Array.from({ length: r.int(1, 4) }, () => {
          const expected = r.next() < 0.05 ? null : r.int(0, 45000);
          return { modifiers: r.pick(modifierSets), allowed: expected ?? undefined, remit: r.next() < 0.3 ? r.int(0, 45000) : null };
        });
        // visit ids in random order so that same-day visits are ordered by id, not by insertion
        const externalId = `${r.pick(["A", "b", "C", "a", "Z"])}${r.int(0, 99999)}-${p}-${v}`;
        visitRows.push({
          practiceId: f.practiceId,
          externalId,
          patientId,
          therapistId: r.pick(therapistIds),
          clinicId: r.pick(clinicIds),
          payerId: r.next() < 0.9 ? f.medicareId : f.commercialId,
          dateOfService: new Date(`${date}T00:00:00Z`),
        });
        linesByVisit.set(externalId, lines);
      }
      for (const pool of ["PT_SLP", "OT"] as const) if (r.next() < 0.25) usage.push({ patientId, pool, amount: r.int(0, 300000) });
    }
    await db().visit.createMany({ data: visitRows });
    const ids = await db().visit.findMany({ where: { practiceId: f.practiceId }, select: { id: true, externalId: true } });
    await db().serviceLine.createMany({
      data: ids.flatMap((v) =>
        linesByVisit.get(v.externalId)!.map((l, lineOrder) => ({
          practiceId: f.practiceId,
          visitId: v.id,
          lineOrder,
          cpt: "97110",
          modifiers: l.modifiers,
          unitsBilled: 1,
          chargeCents: 10000,
          expectedAllowedCents: l.allowed ?? null,
          pool: poolOfLine(l.modifiers),
        })),
      ),
    });
    // the confirmed allowed amounts of the lines with a remit
    const lineIds = new Map(
      (await db().serviceLine.findMany({ where: { practiceId: f.practiceId }, select: { id: true, visitId: true, lineOrder: true } })).map(
        (l) => [`${l.visitId}|${l.lineOrder}`, l.id],
      ),
    );
    await db().serviceLineRemit.createMany({
      data: ids.flatMap((v) =>
        linesByVisit.get(v.externalId)!.flatMap((l, lineOrder) =>
          l.remit == null
            ? []
            : [
                {
                  serviceLineId: lineIds.get(`${v.id}|${lineOrder}`)!,
                  practiceId: f.practiceId,
                  visitId: v.id,
                  expectedAllowedCents: l.allowed ?? null,
                  remitAllowedCents: l.remit,
                },
              ],
        ),
      ),
    });
    await recomputeEveryKeyOneByOne(f.practiceId);
    for (const u of usage) {
      await asPractice(f.practiceId, () =>
        saveUsedElsewhere(
          { practiceId: f.practiceId, userId: f.users.BILLER },
          { patientId: u.patientId, year: 2026, pool: u.pool, amount: u.amount, source: "MAC portal", asOf: "2026-02-01" },
        ),
      );
    }
    // a biller's work on some items: documentation reviewed, resolved
    const items = await db().kxQueueItem.findMany({ where: { practiceId: f.practiceId }, orderBy: { id: "asc" } });
    for (const [n, i] of items.entries()) {
      if (n % 5 === 0)
        await db().kxQueueItem.update({ where: { id: i.id }, data: { docReviewedAt: new Date(), docReviewNote: "reviewed" } });
      if (n % 7 === 0) await db().kxQueueItem.update({ where: { id: i.id }, data: { status: "RESOLVED" } });
    }
    // urgency follows the documentation review: bring every item up to date the usual way
    await recomputeEveryKeyOneByOne(f.practiceId);
  }, 300_000);

  it("changes nothing when every total is already current (as recomputeKx left them)", async () => {
    const before = await itemsOf(f.practiceId);
    expect(before.length).toBeGreaterThan(40);
    expect(before.some((i) => i.level === "review")).toBe(true);
    expect(before.some((i) => (i.linesMissingKx as number) > 0)).toBe(true);
    const result = await asPractice(f.practiceId, () => recomputeAllKx(f.practiceId));
    expect(result).toEqual({ created: 0, updated: 0 });
    expect(await itemsOf(f.practiceId)).toEqual(before);
  });

  it("gives the same figures as recomputeKx from scrambled totals and missing items", async () => {
    const all = await db().kxQueueItem.findMany({ where: { practiceId: f.practiceId }, orderBy: { id: "asc" } });
    // scramble: wrong figures everywhere, some items gone (they are created again)
    await db().kxQueueItem.deleteMany({ where: { id: { in: all.filter((_, n) => n % 6 === 3).map((i) => i.id) } } });
    await db().kxQueueItem.updateMany({
      where: { practiceId: f.practiceId },
      data: {
        allowedHereCents: 1,
        totalCents: 2,
        usedElsewhereCents: 3,
        level: "below",
        linesMissingKx: 0,
        urgency: 9,
        estimated: false,
        visitCount: 0,
        alertCrossedOn: null,
        kxCrossedOn: null,
        reviewCrossedOn: null,
        lastVisitOn: null,
      },
    });
    const scrambled = await db().kxQueueItem.findMany({ where: { practiceId: f.practiceId }, orderBy: { id: "asc" } });

    const result = await asPractice(f.practiceId, () => recomputeAllKx(f.practiceId));
    // deleted items come back when their pool has lines (usage alone does not make an item, as in recomputeKx)
    const deleted = all.filter((i) => !scrambled.some((x) => x.id === i.id));
    expect(deleted.length).toBeGreaterThan(3);
    expect(result.created).toBe(deleted.filter((i) => i.visitCount > 0).length);
    const bySet = await itemsOf(f.practiceId);

    await restore(f.practiceId, scrambled);
    await recomputeEveryKeyOneByOne(f.practiceId);
    const oneByOne = await itemsOf(f.practiceId);

    expect(bySet).toEqual(oneByOne);
    // resolved items whose patients need action again were reopened, the same way by both
    expect(bySet.filter((i) => i.status === "OPEN").length).toBeGreaterThan(0);
  });

  it("an item whose lines were all deleted keeps its usage and drops to zero lines", async () => {
    const withLines = await db().kxQueueItem.findFirst({ where: { practiceId: f.practiceId, visitCount: { gt: 0 }, year: 2026 } });
    await db().visit.deleteMany({ where: { practiceId: f.practiceId, patientId: withLines!.patientId } });
    await asPractice(f.practiceId, () => recomputeAllKx(f.practiceId));
    const bySet = await itemsOf(f.practiceId);
    const afterSet = await db().kxQueueItem.findMany({ where: { practiceId: f.practiceId }, orderBy: { id: "asc" } });
    await db().kxQueueItem.updateMany({ where: { practiceId: f.practiceId }, data: { totalCents: 0 } });
    await recomputeEveryKeyOneByOne(f.practiceId);
    expect(await itemsOf(f.practiceId)).toEqual(bySet);
    const emptied = afterSet.find((i) => i.id === withLines!.id)!;
    expect(emptied).toMatchObject({ visitCount: 0, allowedHereCents: 0, linesMissingKx: 0, lastVisitOn: null });
  });
});

describe("recomputeAllKx on the example practice", () => {
  it("reproduces expected-kx-queue.csv from wiped totals", async () => {
    const t = await createTestPractice("kx-recompute-all-example");
    const dir = path.resolve("e2e/fixtures/example-practice");
    for (const [kind, file] of [
      ["visits", "visits.csv"],
      ["usage", "usage.csv"],
      ["contracts", "contracts.csv"],
    ] as const) {
      const result = await asPractice(t.practiceId, () =>
        importCsv({
          kind,
          practiceId: t.practiceId,
          userId: t.users.ADMIN,
          fileName: file,
          content: fs.readFileSync(path.join(dir, file)),
        }),
      );
      expect(result.status).toBe("imported");
    }
    await db().kxQueueItem.updateMany({
      where: { practiceId: t.practiceId },
      data: { totalCents: 0, allowedHereCents: 0, level: "below", kxCrossedOn: null, linesMissingKx: 0 },
    });
    await asPractice(t.practiceId, () => recomputeAllKx(t.practiceId));
    let out = "";
    await asPractice(t, async () => {
      for await (const chunk of serialize(exportSourceFor("kx-queue", t.practiceId, {}), "csv")) out += chunk;
    });
    expect(out).toBe(fs.readFileSync(path.join(dir, "expected-kx-queue.csv"), "utf8"));
  });
});
