// The undercoding worklist: candidate lines in both directions with their review, a page at a
// time, newest first. Candidates are read from the columns kept on each line; only the page's
// notes are classified again, to get the character spans of the matched words for highlighting.
import { classifyNote, type Match } from "@/lib/billing";
import { Prisma } from "@/lib/generated/prisma/client";
import { candidateLinesOfVisit, probePerVisit, withIndexFriendlyPlans } from "../revenue/planner";
import { dateFromIso, isoDate } from "../core/dates";
import { db, type Tx } from "../core/db";
import { refreshRevenueRollup } from "../derived/rollup";
import { weekEnd } from "../revenue/weeks";
import type { AnalyticsScope } from "../revenue/scope";
import { CARD_PAGE_SIZE, type ListPage, pageCount, pageOffset } from "@/lib/ui/paging";
import { candidateSpans, pageWindow, serialPageReads, spanCount } from "../revenue/undercoding-spans";

export interface CandidateFilter {
  from: string;
  to: string;
  direction?: "could_be_97530" | "reads_as_exercise" | null;
  status?: "open" | "confirmed" | "dismissed" | "all";
  therapistId?: number | null;
  payerId?: number | null;
  /** a page of CARD_PAGE_SIZE, or "all" of them in the same order (the list's CSV download) */
  page?: number | "all";
}

export interface HighlightSpan {
  start: number;
  end: number;
  term: string;
}

export interface Candidate {
  lineId: number;
  visitExternalId: string;
  dateOfService: string;
  patientExternalId: string;
  patientName: string;
  therapist: string;
  therapistNpi: string;
  payer: string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  units: number;
  direction: "could_be_97530" | "reads_as_exercise";
  terms: string[];
  gainCents: number | null;
  note: string;
  /** the matched words of the classification, for highlighting (note.slice(start, end)) */
  spans: HighlightSpan[];
  explanation: string;
  /** the rule that decided the flag, in words */
  rule: string;
  /** set on a possible (ambiguous, not counted) line: why it is ambiguous */
  possibleReason?: string | null;
  review: { decision: "CONFIRMED" | "DISMISSED"; reason: string; by: string; at: string } | null;
}

/** The words behind a classification, as character spans of the note (the direction's own words). */
export function highlightSpans(
  note: string,
  cpt: string,
  direction: Candidate["direction"],
  options: { reviewAmbiguous?: boolean } = {},
): { spans: HighlightSpan[]; explanation: string; rule: string } {
  const classification = classifyNote(note, cpt, options);
  const matches: Match[] = direction === "could_be_97530" ? classification.functionalTerms : classification.exerciseTerms;
  return {
    spans: [...matches].sort((a, b) => a.start - b.start).map((m) => ({ start: m.start, end: m.end, term: m.term })),
    explanation: classification.explanation,
    rule: classification.rule,
  };
}

export async function candidateLines(
  scope: AnalyticsScope,
  filter: CandidateFilter,
): Promise<{ rows: Candidate[]; hasMore: boolean; page: number; total: number; pages: number }> {
  const all = filter.page === "all";
  const page = filter.page === "all" ? 1 : Math.max(1, Math.floor(filter.page ?? 1));
  const parts: Prisma.Sql[] = [];
  if (filter.direction) parts.push(Prisma.sql`and s."undercodingDirection" = ${filter.direction}::"UndercodingDirection"`);
  if (filter.therapistId) parts.push(Prisma.sql`and v."therapistId" = ${filter.therapistId}`);
  if (filter.payerId) parts.push(Prisma.sql`and v."payerId" = ${filter.payerId}`);
  const status = filter.status ?? "open";
  if (status === "open") parts.push(Prisma.sql`and ur.id is null`);
  else if (status === "confirmed") parts.push(Prisma.sql`and ur.decision = 'CONFIRMED'`);
  else if (status === "dismissed") parts.push(Prisma.sql`and ur.decision = 'DISMISSED'`);
  const period = (from: string, to: string) => Prisma.sql`${scope.where("v")}
      and v."dateOfService" between ${dateFromIso(from)}::date and ${dateFromIso(to)}::date
      ${parts.length ? Prisma.join(parts, " ") : Prisma.empty}`;
  const rowsOf = (tx: Tx, from: string, to: string, limit: Prisma.Sql) => tx.$queryRaw<Record<string, unknown>[]>`
    select s.id as "lineId", v."externalId" as "visitExternalId", v."dateOfService" as dos, pt."externalId" as "patientExternalId",
           pt."lastName" || ', ' || pt."firstName" as "patientName",
           t.name as therapist, t.npi as "therapistNpi", p.name as payer, s."lineOrder", s.cpt, s.modifiers, s."unitsBilled" as units,
           s."undercodingDirection"::text as direction, s."undercodingTerms" as terms, s."undercodingGainCents" as "gainCents", s.note,
           ur.decision::text as decision, ur.reason, ur."createdAt" as "reviewedAt", u.name as "reviewedBy"
    from "Visit" v
    ${candidateLinesOfVisit(probePerVisit(from, to))}
    join "Patient" pt on pt.id = v."patientId"
    join "Therapist" t on t.id = v."therapistId"
    join "Payer" p on p.id = v."payerId"
    left join "UndercodingReview" ur on ur."serviceLineId" = s.id
    left join "User" u on u.id = ur."userId"
    where ${period(from, to)}
    order by v."dateOfService" desc, v."externalId", s."lineOrder", s.id
    ${limit}`;
  // the list's count and the dates its page spans come from the weekly rollup
  // (revenue/undercoding-spans.ts): counting and sorting every candidate of a year read 65,000
  // lines at a million visits
  if (!all && scope.practiceId !== null) await refreshRevenueRollup(scope.practiceId);
  const { rows, total } = await withIndexFriendlyPlans(async (tx) => {
    await serialPageReads(tx);
    if (all) return { rows: await rowsOf(tx, filter.from, filter.to, Prisma.empty), total: null };
    const spans = await candidateSpans(tx, scope, filter);
    const newestFirst = spans
      .map((s) => ({ from: s.from, to: s.to, n: spanCount(s, status) }))
      .filter((s) => s.n > 0)
      .reverse();
    const total = newestFirst.reduce((sum, s) => sum + s.n, 0);
    const window = pageWindow(newestFirst, pageOffset(page, CARD_PAGE_SIZE), CARD_PAGE_SIZE);
    if (!window) return { rows: [], total };
    return { rows: await rowsOf(tx, window.from, window.to, Prisma.sql`limit ${CARD_PAGE_SIZE} offset ${window.skip}`), total };
  });
  const candidates = rows.map(
    (r): Candidate => ({
      ...candidateOfRow(r, {}),
      review: r.decision
        ? {
            decision: r.decision as "CONFIRMED" | "DISMISSED",
            reason: String(r.reason ?? ""),
            by: String(r.reviewedBy ?? ""),
            at: (r.reviewedAt as Date).toISOString(),
          }
        : null,
    }),
  );
  const counted = total ?? candidates.length;
  return {
    rows: candidates,
    hasMore: !all && page < pageCount(counted, CARD_PAGE_SIZE),
    page,
    total: counted,
    pages: pageCount(counted, CARD_PAGE_SIZE),
  };
}

/** A candidate line from a row of the candidate and possible-loss queries, with its note's highlighted words. */
function candidateOfRow(row: Record<string, unknown>, options: { reviewAmbiguous?: boolean }): Omit<Candidate, "review"> {
  const direction = row.direction as Candidate["direction"];
  const note = String(row.note ?? "");
  const cpt = String(row.cpt);
  const { spans, explanation, rule } = highlightSpans(note, cpt, direction, options);
  return {
    lineId: Number(row.lineId),
    visitExternalId: String(row.visitExternalId),
    dateOfService: isoDate(row.dos as Date),
    patientExternalId: String(row.patientExternalId),
    patientName: String(row.patientName),
    therapist: String(row.therapist),
    therapistNpi: String(row.therapistNpi),
    payer: String(row.payer),
    lineOrder: Number(row.lineOrder),
    cpt,
    modifiers: (row.modifiers as string[]) ?? [],
    units: Number(row.units),
    direction,
    terms: (row.terms as string[]) ?? [],
    gainCents: row.gainCents == null ? null : Number(row.gainCents),
    note,
    spans,
    explanation,
    rule,
  };
}

/** Whether the practice sets ambiguous notes apart as possible loss (its option, docs/undercoding.md). */
export async function reviewsAmbiguousNotes(practiceId: number): Promise<boolean> {
  const practice = await db().practice.findUniqueOrThrow({ where: { id: practiceId }, select: { reviewAmbiguousNotes: true } });
  return practice.reviewAmbiguousNotes;
}

/** The therapists and payers the undercoding filters offer, by name. */
export async function undercodingFilterChoices(practiceId: number) {
  const therapists = await db().therapist.findMany({ where: { practiceId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  const payers = await db().payer.findMany({ where: { practiceId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return { therapists, payers };
}

export interface PossibleFilter {
  from: string;
  to: string;
  direction?: "could_be_97530" | "reads_as_exercise" | null;
  therapistId?: number | null;
  payerId?: number | null;
  /** the page (CARD_PAGE_SIZE lines), 1 when not given */
  page?: number;
}

/**
 * The lines set apart as possible (ambiguous notes, practice option on), newest first, a page at a
 * time with the count of all of them: shown beside the candidates, never counted in the loss
 * figure. Reviews belong to counted candidates.
 */
export async function possibleLines(scope: AnalyticsScope, filter: PossibleFilter): Promise<ListPage<Candidate>> {
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const parts: Prisma.Sql[] = [];
  if (filter.direction) parts.push(Prisma.sql`and s."undercodingPossible" = ${filter.direction}::"UndercodingDirection"`);
  if (filter.therapistId) parts.push(Prisma.sql`and v."therapistId" = ${filter.therapistId}`);
  if (filter.payerId) parts.push(Prisma.sql`and v."payerId" = ${filter.payerId}`);
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select s.id as "lineId", v."externalId" as "visitExternalId", v."dateOfService" as dos, pt."externalId" as "patientExternalId",
           pt."lastName" || ', ' || pt."firstName" as "patientName",
           t.name as therapist, t.npi as "therapistNpi", p.name as payer, s."lineOrder", s.cpt, s.modifiers, s."unitsBilled" as units,
           s."undercodingPossible"::text as direction, s."undercodingPossibleReason" as reason, s."undercodingTerms" as terms,
           s."undercodingGainCents" as "gainCents", s.note
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id and s."undercodingPossible" is not null
    join "Patient" pt on pt.id = v."patientId"
    join "Therapist" t on t.id = v."therapistId"
    join "Payer" p on p.id = v."payerId"
    where ${scope.where("v")} and v."dateOfService" between ${dateFromIso(filter.from)}::date and ${dateFromIso(filter.to)}::date
      ${parts.length ? Prisma.join(parts, " ") : Prisma.empty}
    order by v."dateOfService" desc, v."externalId", s."lineOrder", s.id
    limit ${CARD_PAGE_SIZE} offset ${pageOffset(page, CARD_PAGE_SIZE)}`;
  const [counted] = await db().$queryRaw<{ n: number }[]>`
    select count(*)::int as n
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id and s."undercodingPossible" is not null
    where ${scope.where("v")} and v."dateOfService" between ${dateFromIso(filter.from)}::date and ${dateFromIso(filter.to)}::date
      ${parts.length ? Prisma.join(parts, " ") : Prisma.empty}`;
  const out = rows.map(
    (r): Candidate => ({
      ...candidateOfRow(r, { reviewAmbiguous: true }),
      possibleReason: r.reason == null ? null : String(r.reason),
      review: null,
    }),
  );
  const total = counted?.n ?? 0;
  return { rows: out, total, page, pages: pageCount(total, CARD_PAGE_SIZE) };
}

export interface PossibleWeek {
  /** the week's Monday, "YYYY-MM-DD" */
  week: string;
  /** summed potential gain of the possible could-be-97530 lines (a line without a 97530 price adds nothing) */
  gainCents: number;
  lines: number;
  /** possible reads-as-exercise lines */
  exerciseLines: number;
}

/** Possible loss week by week (weeks firstWeek … lastWeek, Mondays); weeks without any are left out. */
export async function possibleByWeek(scope: AnalyticsScope, firstWeek: string, lastWeek: string): Promise<PossibleWeek[]> {
  const rows = await db().$queryRaw<Record<string, unknown>[]>`
    select revenue_week_start(v."dateOfService") as week,
           coalesce(sum(s."undercodingGainCents") filter (where s."undercodingPossible" = 'could_be_97530'), 0) as "gainCents",
           count(*) filter (where s."undercodingPossible" = 'could_be_97530') as lines,
           count(*) filter (where s."undercodingPossible" = 'reads_as_exercise') as "exerciseLines"
    from "Visit" v
    join "ServiceLine" s on s."visitId" = v.id and s."undercodingPossible" is not null
    where ${scope.where("v")} and v."dateOfService" between ${dateFromIso(firstWeek)}::date and ${dateFromIso(weekEnd(lastWeek))}::date
    group by 1 order by 1`;
  return rows.map((r) => ({
    week: isoDate(r.week as Date),
    gainCents: Number(r.gainCents),
    lines: Number(r.lines),
    exerciseLines: Number(r.exerciseLines),
  }));
}
