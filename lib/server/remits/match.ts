// Matching remitted claims and lines to ours. A claim is found by its patient control number
// (CLP01 = the CLM01 we sent); failing that, by the patient (NM1*QC member id, else name)
// and a visit on the date of service with the same codes. Lines are matched by code, date
// and modifiers, with line order breaking ties.
import type { RawQueryable } from "../core/db";
import { isoDate } from "../core/dates";
import type { RemitClaimInput, RemitLineInput } from "./model";
import { intArrayLiteral, textArrayLiteral } from "../core/sql";

export interface CandidateLine {
  id: number;
  visitId: number;
  claimId: number | null;
  patientId: number;
  payerId: number;
  dateOfService: string;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  expectedAllowedCents: number | null;
}

/** What matching reads of a remitted line and claim. */
export type MatchLineInput = Pick<RemitLineInput, "cpt" | "modifiers" | "serviceDate">;
export interface MatchClaimInput
  extends Pick<RemitClaimInput, "patientControlNumber" | "memberId" | "patientLastName" | "patientFirstName" | "statementDate"> {
  lines: readonly MatchLineInput[];
}

export interface ClaimMatch {
  claimId: number | null;
  patientId: number | null;
  payerId: number | null;
  /** one entry per remit line: the service line it matched, or null */
  lines: (CandidateLine | null)[];
  matched: boolean;
}

function modifierScore(a: readonly string[], b: readonly string[]): number {
  let common = 0;
  for (const m of a) if (b.includes(m)) common++;
  const exact = common === a.length && common === b.length;
  return (exact ? 100 : 0) + common * 10 - Math.abs(a.length - b.length);
}

/**
 * Pairs each remit line with at most one candidate line (each candidate used once): same code,
 * same date when both are known; the best modifier agreement wins, then the candidate whose
 * position is that of the remit line, then the earlier line (date, visit, line order).
 */
export function matchLines(remitLines: readonly MatchLineInput[], candidates: readonly CandidateLine[]): (CandidateLine | null)[] {
  const ordered = [...candidates].sort((a, b) =>
    a.dateOfService !== b.dateOfService
      ? a.dateOfService < b.dateOfService
        ? -1
        : 1
      : a.visitId !== b.visitId
        ? a.visitId - b.visitId
        : a.lineOrder - b.lineOrder,
  );
  const used = new Set<number>();
  return remitLines.map((line, position) => {
    const code = line.cpt.trim().toUpperCase();
    let best: CandidateLine | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let index = 0; index < ordered.length; index++) {
      const c = ordered[index]!;
      if (used.has(c.id) || c.cpt !== code) continue;
      if (line.serviceDate !== null && c.dateOfService !== line.serviceDate) continue;
      const score = modifierScore(line.modifiers, c.modifiers) * 1000 - Math.min(Math.abs(index - position), 999);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best !== null) used.add(best.id);
    return best;
  });
}

function mostCommon(values: (number | null)[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

type LineRow = {
  id: number;
  visitId: number;
  claimId: number | null;
  patientId: number;
  payerId: number;
  dos: Date;
  lineOrder: number;
  cpt: string;
  modifiers: string[];
  expected: number | null;
};

const LINE_COLUMNS = `s.id, s."visitId", v."claimId", v."patientId", v."payerId", v."dateOfService" as dos, s."lineOrder", s.cpt, s.modifiers, s."expectedAllowedCents" as expected`;

function toCandidate(r: LineRow): CandidateLine {
  return {
    id: r.id,
    visitId: r.visitId,
    claimId: r.claimId,
    patientId: r.patientId,
    payerId: r.payerId,
    dateOfService: isoDate(r.dos),
    lineOrder: r.lineOrder,
    cpt: r.cpt,
    modifiers: r.modifiers,
    expectedAllowedCents: r.expected,
  };
}

/** Matches a batch of remit claims with a handful of queries (whatever the batch size). */
export async function matchClaims(tx: RawQueryable, practiceId: number, claims: readonly MatchClaimInput[]): Promise<ClaimMatch[]> {
  const results: ClaimMatch[] = claims.map(() => ({ claimId: null, patientId: null, payerId: null, lines: [], matched: false }));
  if (claims.length === 0) return results;

  // 1. by patient control number
  const pcns = [...new Set(claims.map((c) => c.patientControlNumber).filter((p) => p !== ""))];
  const ours = pcns.length
    ? await tx.$queryRawUnsafe<{ id: number; pcn: string; patientId: number; payerId: number }[]>(
        `select id, "patientControlNumber" as pcn, "patientId", "payerId" from "Claim" where "practiceId" = $1 and "patientControlNumber" = any($2::text[])`,
        practiceId,
        textArrayLiteral(pcns),
      )
    : [];
  const claimByPcn = new Map(ours.map((c) => [c.pcn, c]));
  const linesByClaim = new Map<number, CandidateLine[]>();
  if (ours.length) {
    const rows = await tx.$queryRawUnsafe<LineRow[]>(
      `select ${LINE_COLUMNS} from "ServiceLine" s join "Visit" v on v.id = s."visitId"
       where v."practiceId" = $1 and s."practiceId" = $1 and v."claimId" = any($2::int[])`,
      practiceId,
      intArrayLiteral(ours.map((c) => c.id)),
    );
    for (const r of rows) {
      const list = linesByClaim.get(r.claimId!) ?? [];
      list.push(toCandidate(r));
      linesByClaim.set(r.claimId!, list);
    }
  }
  const fallback: number[] = [];
  claims.forEach((claim, i) => {
    const ourClaim = claimByPcn.get(claim.patientControlNumber);
    if (!ourClaim) {
      fallback.push(i);
      return;
    }
    const lines = matchLines(claim.lines, linesByClaim.get(ourClaim.id) ?? []);
    results[i] = { claimId: ourClaim.id, patientId: ourClaim.patientId, payerId: ourClaim.payerId, lines, matched: true };
  });
  if (fallback.length === 0) return results;

  // 2. by patient (member id, else unique name) + date of service + code
  // only a member id or a name that points to exactly one patient counts
  const memberIds = [...new Set(fallback.map((i) => claims[i]!.memberId?.trim().toLowerCase()).filter((m): m is string => !!m))];
  const patientByMember = new Map<string, number>();
  if (memberIds.length) {
    const rows = await tx.$queryRawUnsafe<{ patientId: number; member: string }[]>(
      // per member id, at most two of its patients are looked at: one is a match, two are not
      `select min(c."patientId") as "patientId", m.member from unnest($2::text[]) as m(member)
       cross join lateral (select distinct "patientId" from "Coverage"
                           where "practiceId" = $1 and lower("memberId") = m.member limit 2) c
       group by m.member having count(*) = 1`,
      practiceId,
      textArrayLiteral(memberIds),
    );
    for (const r of rows) patientByMember.set(r.member, r.patientId);
  }
  const nameKey = (last: string, first: string) => `${last.trim().toLowerCase()}|${first.trim().toLowerCase()}`;
  const names = new Map<string, [string, string]>();
  for (const i of fallback) {
    const c = claims[i]!;
    if (c.patientLastName)
      names.set(nameKey(c.patientLastName, c.patientFirstName ?? ""), [
        c.patientLastName.trim().toLowerCase(),
        (c.patientFirstName ?? "").trim().toLowerCase(),
      ]);
  }
  const patientByName = new Map<string, number>();
  if (names.size) {
    const pairs = [...names.values()];
    const rows = await tx.$queryRawUnsafe<{ id: number; last: string; first: string }[]>(
      // per name, at most two patients are looked at (index Patient_practiceId_lower_name_idx):
      // one is a match, two are not; a common name must not cost a scan of all who bear it
      `select min(p.id) as id, n.last, n.first from unnest($2::text[], $3::text[]) as n(last, first)
       cross join lateral (select id from "Patient"
                           where "practiceId" = $1 and lower("lastName") = n.last and lower("firstName") = n.first limit 2) p
       group by n.last, n.first having count(*) = 1`,
      practiceId,
      textArrayLiteral(pairs.map((p) => p[0])),
      textArrayLiteral(pairs.map((p) => p[1])),
    );
    for (const r of rows) patientByName.set(nameKey(r.last, r.first), r.id);
  }
  const patientOf = new Map<number, number>();
  for (const i of fallback) {
    const c = claims[i]!;
    const patientId =
      (c.memberId ? patientByMember.get(c.memberId.trim().toLowerCase()) : undefined) ??
      (c.patientLastName ? patientByName.get(nameKey(c.patientLastName, c.patientFirstName ?? "")) : undefined);
    if (patientId !== undefined) patientOf.set(i, patientId);
  }
  if (patientOf.size === 0) return results;
  const dates = new Set<string>();
  for (const i of patientOf.keys()) {
    const c = claims[i]!;
    if (c.statementDate) dates.add(c.statementDate);
    for (const l of c.lines) if (l.serviceDate) dates.add(l.serviceDate);
  }
  const rows = dates.size
    ? await tx.$queryRawUnsafe<LineRow[]>(
        `select ${LINE_COLUMNS} from "ServiceLine" s join "Visit" v on v.id = s."visitId"
         where v."practiceId" = $1 and s."practiceId" = $1 and v."patientId" = any($2::int[]) and v."dateOfService" = any($3::date[])`,
        practiceId,
        intArrayLiteral([...new Set(patientOf.values())]),
        textArrayLiteral([...dates]),
      )
    : [];
  const linesByPatient = new Map<number, CandidateLine[]>();
  for (const r of rows) {
    const list = linesByPatient.get(r.patientId) ?? [];
    list.push(toCandidate(r));
    linesByPatient.set(r.patientId, list);
  }
  for (const [i, patientId] of patientOf) {
    const c = claims[i]!;
    const wanted = new Set<string>(c.lines.map((l) => l.serviceDate ?? c.statementDate).filter((d): d is string => d !== null));
    if (wanted.size === 0 && c.statementDate) wanted.add(c.statementDate);
    const candidates = (linesByPatient.get(patientId) ?? []).filter((l) => wanted.has(l.dateOfService));
    const lines = matchLines(
      c.lines.map((l) => ({ ...l, serviceDate: l.serviceDate ?? c.statementDate })),
      candidates,
    );
    const hits = lines.filter((l): l is CandidateLine => l !== null);
    if (hits.length === 0) {
      results[i] = { claimId: null, patientId, payerId: null, lines, matched: false };
      continue;
    }
    results[i] = {
      claimId: mostCommon(hits.map((h) => h.claimId)),
      patientId,
      payerId: mostCommon(hits.map((h) => h.payerId)),
      lines,
      matched: true,
    };
  }
  return results;
}
