// Writing remits (835 or paper EOB) inside the caller's transaction: payments one by one,
// claims and lines (with their adjustments) in batches of set-based inserts (a 100 MB 835 has about a million
// lines), matched to our claims on the way. finish() then confirms the touched service lines
// (net allowed, variance, KX totals) in the same transaction.
import type { Tx } from "../db";
import { denialCauseOf } from "../denials/causes";
import { confirmServiceLines } from "./confirm";
import { matchClaims } from "./match";
import { intArrayLiteral as ints, intList, textArrayLiteral as texts } from "./sql";
import type { RemitAdjustmentInput, RemitClaimInput, RemitPaymentInput } from "./model";

/** Lines per batch: large enough for set-based inserts to pay off, small enough for memory. */
export const LINES_PER_BATCH = 4000;
/** Statistics are refreshed when the lines written in this transaction pass these marks (×4 each time). */
const FIRST_ANALYZE_AT_LINES = 16_000;

/**
 * A line's adjustments as stored in RemitLine.adjustments: [{"g","r","a"} and "q" when the
 * CAS gives a quantity], in file order.
 */
export function lineAdjustmentsJson(adjustments: readonly RemitAdjustmentInput[]): string {
  if (adjustments.length === 0) return "[]";
  let out = "[";
  for (let i = 0; i < adjustments.length; i++) {
    const x = adjustments[i]!;
    if (i > 0) out += ",";
    out += `{"g":${JSON.stringify(x.group)},"r":${JSON.stringify(x.reason)},"a":${x.amountCents}`;
    out += x.quantity === null ? "}" : `,"q":${x.quantity}}`;
  }
  return `${out}]`;
}

/** Σ of the PR (patient responsibility) adjustments. */
export function patientResponsibility(adjustments: readonly RemitAdjustmentInput[]): number {
  let sum = 0;
  for (const x of adjustments) if (x.group === "PR") sum += x.amountCents;
  return sum;
}

export interface WriterHooks {
  /** Called after each batch is written (tests use it to fail half-way). */
  afterBatch?: (written: { claims: number; lines: number }) => void | Promise<void>;
  /** Called once everything is written, with the time spent per phase (ms). */
  onFinish?: (timings: Record<string, number>) => void;
}

interface Pending {
  paymentId: number;
  claim: RemitClaimInput;
}

export class RemitWriter {
  claims = 0;
  lines = 0;
  matchedClaims = 0;
  unmatchedClaims = 0;
  unmatchedLines = 0;
  readonly touchedServiceLines = new Set<number>();
  /** milliseconds spent per phase (the benchmark prints them) */
  readonly timings = { match: 0, ids: 0, build: 0, claims: 0, lines: 0, adjustments: 0, analyze: 0, confirm: 0 };
  /** payer ids of matched claims, per payment (to name the payment's payer) */
  private readonly payersOfPayment = new Map<number, Map<number, number>>();
  private pending: Pending[] = [];
  private pendingLines = 0;
  /** the inserts of the last batch, still running on the server while the next batch is read */
  private inflight: Promise<void> | null = null;
  private nextAnalyzeAt = FIRST_ANALYZE_AT_LINES;

  constructor(
    private readonly tx: Tx,
    private readonly practiceId: number,
    private readonly hooks: WriterHooks = {},
  ) {}

  /** Waits for the batch being written; call before any other use of the transaction. */
  async drain(): Promise<void> {
    const running = this.inflight;
    this.inflight = null;
    if (running) await running;
  }

  async createPayment(input: RemitPaymentInput, remitFileId: number | null, payerId: number | null): Promise<number> {
    await this.drain();
    const created = await this.tx.remitPayment.create({
      data: {
        practiceId: this.practiceId,
        remitFileId,
        source: input.source,
        payerName: input.payerName,
        payerKey: input.payerKey,
        payerId,
        traceNumber: input.traceNumber,
        paymentCents: input.paymentCents,
        method: input.method,
        paymentDate: input.paymentDate ? new Date(`${input.paymentDate}T00:00:00.000Z`) : null,
        payeeName: input.payeeName,
        payeeNpi: input.payeeNpi,
      },
      select: { id: true },
    });
    return created.id;
  }

  async add(paymentId: number, claim: RemitClaimInput): Promise<void> {
    this.pending.push({ paymentId, claim });
    this.pendingLines += Math.max(1, claim.lines.length);
    if (this.pendingLines >= LINES_PER_BATCH) await this.flush();
  }

  /** The payer most of a payment's matched claims belong to. */
  payerOfPayment(paymentId: number): number | null {
    const counts = this.payersOfPayment.get(paymentId);
    if (!counts) return null;
    let best: number | null = null;
    let n = 0;
    for (const [payerId, c] of counts) if (c > n) [best, n] = [payerId, c];
    return best;
  }

  /**
   * Matches and writes what is pending. The inserts are started but not awaited: the server
   * writes this batch while the caller reads the next one (the next use of the transaction
   * waits for them first, see drain).
   */
  async flush(): Promise<void> {
    await this.drain();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingLines = 0;
    const { tx, practiceId } = this;
    let mark = performance.now();
    const lap = (phase: keyof RemitWriter["timings"]) => {
      const now = performance.now();
      this.timings[phase] += now - mark;
      mark = now;
    };
    const matches = await matchClaims(
      tx,
      practiceId,
      batch.map((p) => p.claim),
    );
    lap("match");

    let lineCount = 0;
    for (const { claim } of batch) lineCount += claim.lines.length;
    // claim ids reserved up front, so that lines can name their claim without a round trip per row
    const [reserved] = await tx.$queryRawUnsafe<{ claims: string | null }[]>(
      `select string_agg(nextval('"RemitClaim_id_seq"')::text, ',') as claims from generate_series(1, $1::int)`,
      batch.length,
    );
    const claimIds = intList(reserved?.claims ?? null);
    lap("ids");

    const c = {
      id: [] as number[],
      paymentId: [] as number[],
      claimId: [] as (number | null)[],
      patientId: [] as (number | null)[],
      pcn: [] as string[],
      status: [] as string[],
      charge: [] as number[],
      paid: [] as number[],
      patientResp: [] as number[],
      payerClaimNumber: [] as (string | null)[],
      patientName: [] as (string | null)[],
      memberId: [] as (string | null)[],
      match: [] as string[],
      remarks: [] as string[],
    };
    const l = {
      remitClaimId: [] as number[],
      serviceLineId: [] as (number | null)[],
      lineOrder: [] as number[],
      cpt: [] as string[],
      modifiers: [] as string[],
      charge: [] as number[],
      paid: [] as number[],
      allowed: [] as number[],
      units: [] as number[],
      serviceDate: [] as (string | null)[],
      remarks: [] as string[],
      match: [] as string[],
      expected: [] as (number | null)[],
      denial: [] as (string | null)[],
      adjustments: [] as string[],
      patientResp: [] as number[],
    };
    // claim-level adjustments (a line's own are on the line)
    const a = {
      remitClaimId: [] as number[],
      group: [] as string[],
      reason: [] as string[],
      amount: [] as number[],
      quantity: [] as (number | null)[],
    };
    batch.forEach(({ paymentId, claim }, i) => {
      const m = matches[i]!;
      const remitClaimId = claimIds[i]!;
      c.id.push(remitClaimId);
      c.paymentId.push(paymentId);
      c.claimId.push(m.claimId);
      c.patientId.push(m.patientId);
      c.pcn.push(claim.patientControlNumber);
      c.status.push(claim.statusCode);
      c.charge.push(claim.chargeCents);
      c.paid.push(claim.paidCents);
      c.patientResp.push(claim.patientRespCents);
      c.payerClaimNumber.push(claim.payerClaimNumber);
      const name = [claim.patientLastName, claim.patientFirstName].filter(Boolean).join(", ");
      c.patientName.push(name || null);
      c.memberId.push(claim.memberId);
      c.match.push(m.matched ? "MATCHED" : "UNMATCHED");
      c.remarks.push(claim.remarkCodes.join(","));
      if (m.matched) {
        this.matchedClaims++;
        if (m.payerId !== null) {
          const counts = this.payersOfPayment.get(paymentId) ?? new Map<number, number>();
          counts.set(m.payerId, (counts.get(m.payerId) ?? 0) + 1);
          this.payersOfPayment.set(paymentId, counts);
        }
      } else this.unmatchedClaims++;
      for (const adj of claim.adjustments) {
        a.remitClaimId.push(remitClaimId);
        a.group.push(adj.group);
        a.reason.push(adj.reason);
        a.amount.push(adj.amountCents);
        a.quantity.push(adj.quantity);
      }
      claim.lines.forEach((line, j) => {
        const ours = m.lines[j] ?? null;
        l.remitClaimId.push(remitClaimId);
        l.serviceLineId.push(ours?.id ?? null);
        l.lineOrder.push(j);
        l.cpt.push(line.cpt);
        l.modifiers.push(line.modifiers.join(","));
        l.charge.push(line.chargeCents);
        l.paid.push(line.paidCents);
        l.allowed.push(line.allowedCents);
        l.units.push(line.units);
        l.serviceDate.push(line.serviceDate);
        l.remarks.push(line.remarkCodes.join(","));
        l.match.push(ours ? "MATCHED" : "UNMATCHED");
        l.expected.push(ours?.expectedAllowedCents ?? null);
        l.denial.push(denialCauseOf({ chargeCents: line.chargeCents, paidCents: line.paidCents, adjustments: line.adjustments }));
        l.adjustments.push(lineAdjustmentsJson(line.adjustments));
        l.patientResp.push(patientResponsibility(line.adjustments));
        if (ours) this.touchedServiceLines.add(ours.id);
        else this.unmatchedLines++;
      });
    });

    lap("build");
    const write = async () => {
      mark = performance.now();
      await tx.$executeRawUnsafe(
        `insert into "RemitClaim" (id, "practiceId", "paymentId", "claimId", "patientId", "patientControlNumber", "statusCode",
           "chargeCents", "paidCents", "patientRespCents", "payerClaimNumber", "patientName", "memberId", "matchStatus", "remarkCodes")
         select t.id, $1, t.payment, t.claim, t.patient, t.pcn, t.status, t.charge, t.paid, t.resp, t.pcn2, t.name, t.member, t.match::"MatchStatus",
                case when t.remarks = '' then '{}'::text[] else string_to_array(t.remarks, ',') end
         from unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
           as t(id, payment, claim, patient, pcn, status, charge, paid, resp, pcn2, name, member, match, remarks)`,
        practiceId,
        ints(c.id),
        ints(c.paymentId),
        ints(c.claimId),
        ints(c.patientId),
        texts(c.pcn),
        texts(c.status),
        ints(c.charge),
        ints(c.paid),
        ints(c.patientResp),
        texts(c.payerClaimNumber),
        texts(c.patientName),
        texts(c.memberId),
        texts(c.match),
        texts(c.remarks),
      );
      lap("claims");
      if (l.remitClaimId.length) {
        await tx.$executeRawUnsafe(
          `insert into "RemitLine" ("practiceId", "remitClaimId", "serviceLineId", "lineOrder", cpt, modifiers, "chargeCents", "paidCents",
             "allowedCents", units, "serviceDate", "remarkCodes", "matchStatus", "expectedAllowedCents", "denialCause", adjustments, "patientRespCents")
           select $1, t.claim, t.line, t.ord, t.cpt, case when t.mods = '' then '{}'::text[] else string_to_array(t.mods, ',') end,
                  t.charge, t.paid, t.allowed, t.units, t.dos, case when t.remarks = '' then '{}'::text[] else string_to_array(t.remarks, ',') end,
                  t.match::"MatchStatus", t.expected, t.denial, t.adj::jsonb, t.pr
           from unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::int[], $11::date[], $12::text[], $13::text[], $14::int[], $15::text[], $16::text[], $17::int[])
             as t(claim, line, ord, cpt, mods, charge, paid, allowed, units, dos, remarks, match, expected, denial, adj, pr)`,
          practiceId,
          ints(l.remitClaimId),
          ints(l.serviceLineId),
          ints(l.lineOrder),
          texts(l.cpt),
          texts(l.modifiers),
          ints(l.charge),
          ints(l.paid),
          ints(l.allowed),
          ints(l.units),
          texts(l.serviceDate),
          texts(l.remarks),
          texts(l.match),
          ints(l.expected),
          texts(l.denial),
          texts(l.adjustments),
          ints(l.patientResp),
        );
      }
      lap("lines");
      if (a.remitClaimId.length) {
        await tx.$executeRawUnsafe(
          `insert into "RemitAdjustment" ("practiceId", "remitClaimId", "groupCode", "reasonCode", "amountCents", quantity)
           select $1, t.claim, t.grp, t.reason, t.amount, t.qty
           from unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::numeric[]) as t(claim, grp, reason, amount, qty)`,
          practiceId,
          ints(a.remitClaimId),
          texts(a.group),
          texts(a.reason),
          ints(a.amount),
          texts(a.quantity.map((q) => (q === null ? null : String(q)))),
        );
      }
      lap("adjustments");
      // A large file grows these tables by orders of magnitude inside one transaction, where
      // autovacuum cannot see the rows: fresh statistics keep the planner (and the triggers'
      // joins on these tables) off plans made for "empty" tables.
      if (this.lines >= this.nextAnalyzeAt) {
        this.nextAnalyzeAt = this.lines * 4;
        await tx.$executeRawUnsafe(`analyze "RemitClaim", "RemitLine"`);
        lap("analyze");
      }
      await this.hooks.afterBatch?.({ claims: this.claims, lines: this.lines });
    };
    this.claims += batch.length;
    this.lines += lineCount;
    const running = write();
    running.catch(() => {}); // observed by drain()
    this.inflight = running;
  }
  /** Writes what is pending, then confirms the touched lines (net allowed, variance, KX). */
  async finish(): Promise<void> {
    await this.flush();
    await this.drain();
    const started = performance.now();
    await confirmServiceLines(this.tx, this.practiceId, this.touchedServiceLines);
    this.timings.confirm += performance.now() - started;
    this.hooks.onFinish?.({ ...this.timings });
  }
}
