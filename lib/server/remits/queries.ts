// What the remit pages read: the import history, the payments, and one payment laid out like
// an EOB with every adjustment explained by its CARC/RARC text. Every query is scoped by the
// practice: another practice's id finds nothing (and the page answers 404).
import { db } from "../core/db";
import { isoDate } from "../core/dates";
import { storedLineAdjustments } from "./model";
import { LIST_PAGE_SIZE, type ListPage, pageCount, pageOffset } from "@/lib/ui/paging";

export interface Issue {
  where: string;
  message: string;
}

/** One page of the practice's 835 imports, newest first, with the count of all of them. */
export async function remitImportHistory(practiceId: number, page = 1) {
  const where = { practiceId, kind: "REMIT_835" as const };
  const total = await db().importJob.count({ where });
  const jobs = await db().importJob.findMany({
    where,
    orderBy: { id: "desc" },
    skip: pageOffset(page),
    take: LIST_PAGE_SIZE,
    include: { remitFile: { select: { id: true, sizeBytes: true } } },
  });
  const rows = jobs.map((j) => ({
    id: j.id,
    fileName: j.fileName,
    status: j.status,
    createdAt: j.createdAt,
    counts: (j.counts ?? {}) as Record<string, number>,
    warnings: (Array.isArray(j.warnings) ? j.warnings : []) as unknown as Issue[],
    errors: (Array.isArray(j.errors) ? j.errors : []) as unknown as Issue[],
    sizeBytes: j.remitFile?.sizeBytes ?? null,
  }));
  return { rows, total, page, pages: pageCount(total) };
}

export interface PaymentListRow {
  id: number;
  source: "X12_835" | "PAPER_EOB";
  payerName: string;
  traceNumber: string;
  paymentCents: number;
  paymentDate: string | null;
  method: string | null;
  claims: number;
  matchedClaims: number;
  lines: number;
  unmatchedLines: number;
  paidCents: number;
  providerAdjustmentCents: number;
  warnings: number;
  fileName: string | null;
}

/** One page of the payments (newest first), with the count of all of them. */
export async function remitPayments(practiceId: number, page = 1): Promise<ListPage<PaymentListRow>> {
  const [counted] = await db().$queryRawUnsafe<{ n: number }[]>(
    `select count(*)::int as n from "RemitPayment" rp where rp."practiceId" = $1`,
    practiceId,
  );
  // the counts and sums are stored on the payment by the derived-figures pipeline
  // (lib/server/derived/payment-counts.ts): counted here per request they took 3.5 s at a
  // million visits (docs/performance.md, "Remit counts stored on the payment")
  const rows = await db().$queryRawUnsafe<(Omit<PaymentListRow, "paymentDate"> & { paymentDate: Date | null })[]>(
    `select rp.id, rp.source::text as source, rp."payerName", rp."traceNumber", rp."paymentCents", rp."paymentDate", rp.method,
            rp."claimCount" as claims, rp."matchedClaimCount" as "matchedClaims", rp."claimsPaidCents" as "paidCents",
            rp."lineCount" as lines, rp."unmatchedLineCount" as "unmatchedLines", rp."providerAdjustmentCents",
            coalesce(jsonb_array_length(case when jsonb_typeof(rp.warnings) = 'array' then rp.warnings else '[]'::jsonb end), 0)::int as warnings,
            rf."fileName"
     from "RemitPayment" rp
     left join "RemitFile" rf on rf.id = rp."remitFileId"
     where rp."practiceId" = $1
     order by rp."paymentDate" desc nulls last, rp.id desc
     limit $2 offset $3`,
    practiceId,
    LIST_PAGE_SIZE,
    pageOffset(page),
  );
  const total = counted?.n ?? 0;
  return {
    rows: rows.map((r) => ({ ...r, paymentDate: r.paymentDate ? isoDate(r.paymentDate) : null })),
    total,
    page,
    pages: pageCount(total),
  };
}

/** Descriptions of CARC, RARC and CLP02 codes; a code not in the lists is simply absent. */
export async function codeTexts(codes: { CARC?: string[]; RARC?: string[]; CLP02?: string[] }) {
  const wanted = Object.entries(codes).flatMap(([list, values]) => (values ?? []).map((code) => ({ list, code })));
  const out = { CARC: new Map<string, string>(), RARC: new Map<string, string>(), CLP02: new Map<string, string>() };
  if (wanted.length === 0) return out;
  const rows = await db().codeListEntry.findMany({
    where: { OR: (["CARC", "RARC", "CLP02"] as const).map((list) => ({ list, code: { in: [...new Set(codes[list] ?? [])] } })) },
  });
  // the published descriptions go on with usage notes for the payer ("Usage: …"): the meaning is before them
  for (const row of rows) out[row.list as keyof typeof out]?.set(row.code, row.description.split(/\s+(?:Usage|Note):/)[0]!.trim());
  return out;
}

const GROUP_TEXT: Record<string, string> = {
  CO: "Contractual obligation (the practice writes it off)",
  PR: "Patient responsibility",
  OA: "Other adjustment",
  PI: "Payer-initiated reduction",
  CR: "Correction / reversal",
};

export function groupText(group: string): string {
  return GROUP_TEXT[group] ?? group;
}

const PLB_TEXT: Record<string, string> = {
  WO: "Overpayment recovery",
  "72": "Authorized return",
  FB: "Forwarding balance",
  L6: "Interest owed",
  CS: "Adjustment",
  CV: "Capital passthru",
  J1: "Nonreimbursable",
  L3: "Penalty",
  IR: "Internal Revenue Service withholding",
  "50": "Late charge",
  "51": "Interest penalty charge",
  AP: "Acceleration of benefits",
  B2: "Rebate",
  C5: "Temporary allowance",
  E3: "Withholding",
  FC: "Fund allocation",
  GO: "Graduate medical education",
  IP: "Incentive premium payment",
  LE: "Levy",
  OA: "Organ acquisition",
  PI: "Periodic interim payment",
  PL: "Payment final",
  RA: "Retro-activity adjustment",
  SL: "Student loan repayment",
  WU: "Unspecified recovery",
};

export function plbText(code: string): string | null {
  return PLB_TEXT[code] ?? null;
}

/**
 * Claims on one page of a payment. A claim comes with its lines (three on average, up to a dozen),
 * so a page of 50 claims of the largest payment at a million visits was 175 KB of HTML even drawn
 * from plain figures; 40 claims (about 120 lines) keep it under 150 KB, and a payer's usual file
 * of a few dozen claims still fits on one page.
 */
export const REMIT_PAGE_CLAIMS = 40;

/**
 * One payment laid out like an EOB, its claims a page at a time (REMIT_PAGE_CLAIMS claims, in file
 * order); what it paid on all its claims and how many there are, as stored on the payment.
 */
export async function remitPaymentDetail(practiceId: number, id: number, page = 1) {
  // ids are int4: a larger one (from the address bar) is a missing record, not a database error
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return null;
  const payment = await db().remitPayment.findFirst({
    where: { practiceId, id },
    include: {
      remitFile: { select: { fileName: true, createdAt: true, importJobId: true } },
      providerAdjustments: { orderBy: { id: "asc" } },
      claims: {
        orderBy: { id: "asc" },
        skip: pageOffset(page, REMIT_PAGE_CLAIMS),
        take: REMIT_PAGE_CLAIMS,
        include: {
          claim: {
            select: {
              patientControlNumber: true,
              patient: { select: { externalId: true, firstName: true, lastName: true } },
            },
          },
          adjustments: { orderBy: { id: "asc" } },
          lines: {
            orderBy: { lineOrder: "asc" },
            include: {
              // expectedNote: why our line has no expected amount ("No Medicare price for 92507: load …")
              serviceLine: {
                select: {
                  id: true,
                  lineOrder: true,
                  expectedAllowedCents: true,
                  expectedNote: true,
                  visit: { select: { externalId: true, dateOfService: true } },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!payment) return null;
  const claims = payment.claims.map((c) => ({
    ...c,
    lines: c.lines.map((l) => ({
      ...l,
      adjustments: storedLineAdjustments(l.adjustments),
      /** why the line has no expected amount: our line's own sentence (no Medicare price, no contract rate …), else null */
      noPrice:
        l.expectedAllowedCents === null && l.serviceLine && l.serviceLine.expectedAllowedCents === null
          ? (l.serviceLine.expectedNote ?? "no expected amount")
          : null,
    })),
  }));
  const carcs = new Set<string>();
  const rarcs = new Set<string>();
  const statuses = new Set<string>();
  for (const claim of claims) {
    statuses.add(claim.statusCode);
    for (const adjustment of claim.adjustments) carcs.add(adjustment.reasonCode);
    for (const remark of claim.remarkCodes) rarcs.add(remark);
    for (const line of claim.lines) {
      for (const adjustment of line.adjustments) carcs.add(adjustment.reasonCode);
      for (const remark of line.remarkCodes) rarcs.add(remark);
    }
  }
  const texts = await codeTexts({ CARC: [...carcs], RARC: [...rarcs], CLP02: [...statuses] });
  const plbTotal = payment.providerAdjustments.reduce((s, p) => s + p.amountCents, 0);
  // the payment's claims and their paid dollars, as stored on the payment by every write that moves
  // them (lib/server/derived/payment-counts.ts): counting 2,500 claims on each page is not needed
  const claimsPaid = payment.claimsPaidCents;
  const claimCount = payment.claimCount;
  return { payment: { ...payment, claims }, texts, plbTotal, claimsPaid, claimCount, page };
}

export type RemitPaymentDetail = NonNullable<Awaited<ReturnType<typeof remitPaymentDetail>>>;

/** Remitted claims no claim of ours matched, and unmatched lines of matched claims (the remits page's link). */
export async function unmatchedCounts(practiceId: number): Promise<{ claims: number; lines: number }> {
  // the unmatched lines of matched claims: every unmatched line (stored per payment, see
  // remitPayments) less those of unmatched claims (few, read by index). Counting them in
  // RemitLine read every remit line of the practice (millions at a million visits).
  const [row] = await db().$queryRawUnsafe<{ claims: number; linesOfUnmatched: number; unmatchedLines: number }[]>(
    `select (select count(*) from "RemitClaim" rc where rc."practiceId" = $1 and rc."claimId" is null and rc."matchStatus" = 'UNMATCHED')::int as claims,
            (select count(*) from "RemitClaim" rc join "RemitLine" rl on rl."remitClaimId" = rc.id and rl."matchStatus" = 'UNMATCHED'
             where rc."practiceId" = $1 and rc."claimId" is null and rc."matchStatus" = 'UNMATCHED')::int as "linesOfUnmatched",
            (select coalesce(sum(rp."unmatchedLineCount"), 0) from "RemitPayment" rp where rp."practiceId" = $1)::int as "unmatchedLines"`,
    practiceId,
  );
  return { claims: row?.claims ?? 0, lines: (row?.unmatchedLines ?? 0) - (row?.linesOfUnmatched ?? 0) };
}
