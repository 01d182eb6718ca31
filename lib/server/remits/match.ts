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

function modifierScore(first: readonly string[], second: readonly string[]): number {
  let common = 0;
  for (const modifier of first) if (second.includes(modifier)) common++;
  const exact = common === first.length && common === second.length;
  return (exact ? 100 : 0) + common * 10 - Math.abs(first.length - second.length);
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
      const candidate = ordered[index]!;
      if (used.has(candidate.id) || candidate.cpt !== code) continue;
      if (line.serviceDate !== null && candidate.dateOfService !== line.serviceDate) continue;
      const score = modifierScore(line.modifiers, candidate.modifiers) * 1000 - Math.min(Math.abs(index - position), 999);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best !== null) used.add(best.id);
    return best;
  });
}

function mostCommon(values: (number | null)[]): number | null {
  const counts = new Map<number, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
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

function toCandidate(row: LineRow): CandidateLine {
  return {
    id: row.id,
    visitId: row.visitId,
    claimId: row.claimId,
    patientId: row.patientId,
    payerId: row.payerId,
    dateOfService: isoDate(row.dos),
    lineOrder: row.lineOrder,
    cpt: row.cpt,
    modifiers: row.modifiers,
    expectedAllowedCents: row.expected,
  };
}

/** A line of one of our claims as matching reads it: id, visit, patient, payer, date of service, order, code, modifiers, expected. */
type ClaimLineJson = [number, number, number, number, string, number, string, string[], number | null];

function candidateOfJson(claimId: number, line: ClaimLineJson): CandidateLine {
  const [id, visitId, patientId, payerId, dateOfService, lineOrder, cpt, modifiers, expectedAllowedCents] = line;
  return { id, visitId, claimId, patientId, payerId, dateOfService, lineOrder, cpt, modifiers, expectedAllowedCents };
}

/** Matches a batch of remit claims with a handful of queries (whatever the batch size). */
export async function matchClaims(tx: RawQueryable, practiceId: number, claims: readonly MatchClaimInput[]): Promise<ClaimMatch[]> {
  const results: ClaimMatch[] = claims.map(() => ({ claimId: null, patientId: null, payerId: null, lines: [], matched: false }));
  if (claims.length === 0) return results;

  // 1. by patient control number: our claims and the lines of their visits in one statement, a
  // row per claim with its lines as JSON arrays. A practice's own file matches every claim here:
  // two statements, the second a row per line with its date and modifiers parsed one by one,
  // took twice as long for a batch of 2,400 claims (docs/performance.md, "Matching and KX totals
  // of a practice's own 835").
  const pcns = [...new Set(claims.map((c) => c.patientControlNumber).filter((p) => p !== ""))];
  const ours = pcns.length
    ? await tx.$queryRawUnsafe<{ id: number; pcn: string; patientId: number; payerId: number; lines: ClaimLineJson[] | null }[]>(
        `select c.id, c."patientControlNumber" as pcn, c."patientId", c."payerId",
                (select json_agg(json_build_array(s.id, s."visitId", v."patientId", v."payerId", v."dateOfService", s."lineOrder",
                                                  s.cpt, s.modifiers, s."expectedAllowedCents"))
                 from "Visit" v join "ServiceLine" s on s."visitId" = v.id and s."practiceId" = $1
                 where v."practiceId" = $1 and v."claimId" = c.id) as lines
         from "Claim" c where c."practiceId" = $1 and c."patientControlNumber" = any($2::text[])`,
        practiceId,
        textArrayLiteral(pcns),
      )
    : [];
  const claimByPcn = new Map(ours.map((c) => [c.pcn, c]));
  const linesByClaim = new Map<number, CandidateLine[]>();
  for (const claim of ours)
    linesByClaim.set(
      claim.id,
      (claim.lines ?? []).map((line) => candidateOfJson(claim.id, line)),
    );
  const fallback: number[] = [];
  claims.forEach((claim, claimIndex) => {
    const ourClaim = claimByPcn.get(claim.patientControlNumber);
    if (!ourClaim) {
      fallback.push(claimIndex);
      return;
    }
    const lines = matchLines(claim.lines, linesByClaim.get(ourClaim.id) ?? []);
    results[claimIndex] = { claimId: ourClaim.id, patientId: ourClaim.patientId, payerId: ourClaim.payerId, lines, matched: true };
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
                           where "practiceId" = $1 and "memberKey" = m.member limit 2) c
       group by m.member having count(*) = 1`,
      practiceId,
      textArrayLiteral(memberIds),
    );
    for (const row of rows) patientByMember.set(row.member, row.patientId);
  }
  const nameKey = (last: string, first: string) => `${last.trim().toLowerCase()}|${first.trim().toLowerCase()}`;
  const names = new Map<string, [string, string]>();
  for (const claimIndex of fallback) {
    const claim = claims[claimIndex]!;
    if (claim.patientLastName)
      names.set(nameKey(claim.patientLastName, claim.patientFirstName ?? ""), [
        claim.patientLastName.trim().toLowerCase(),
        (claim.patientFirstName ?? "").trim().toLowerCase(),
      ]);
  }
  const patientByName = new Map<string, number>();
  if (names.size) {
    const pairs = [...names.values()];
    const rows = await tx.$queryRawUnsafe<{ id: number; last: string; first: string }[]>(
      // per name, at most two patients are looked at (index Patient_practiceId_nameKey_idx):
      // one is a match, two are not; a common name must not cost a scan of all who bear it
      `select min(p.id) as id, n.last, n.first from unnest($2::text[], $3::text[]) as n(last, first)
       cross join lateral (select id from "Patient"
                           where "practiceId" = $1 and "lastNameKey" = n.last and "firstNameKey" = n.first limit 2) p
       group by n.last, n.first having count(*) = 1`,
      practiceId,
      textArrayLiteral(pairs.map((p) => p[0])),
      textArrayLiteral(pairs.map((p) => p[1])),
    );
    for (const row of rows) patientByName.set(nameKey(row.last, row.first), row.id);
  }
  const patientOf = new Map<number, number>();
  for (const claimIndex of fallback) {
    const claim = claims[claimIndex]!;
    const patientId =
      (claim.memberId ? patientByMember.get(claim.memberId.trim().toLowerCase()) : undefined) ??
      (claim.patientLastName ? patientByName.get(nameKey(claim.patientLastName, claim.patientFirstName ?? "")) : undefined);
    if (patientId !== undefined) patientOf.set(claimIndex, patientId);
  }
  if (patientOf.size === 0) return results;
  const dates = new Set<string>();
  for (const claimIndex of patientOf.keys()) {
    const claim = claims[claimIndex]!;
    if (claim.statementDate) dates.add(claim.statementDate);
    for (const line of claim.lines) if (line.serviceDate) dates.add(line.serviceDate);
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
  for (const row of rows) {
    const list = linesByPatient.get(row.patientId) ?? [];
    list.push(toCandidate(row));
    linesByPatient.set(row.patientId, list);
  }
  for (const [claimIndex, patientId] of patientOf) {
    const claim = claims[claimIndex]!;
    const wanted = new Set<string>(claim.lines.map((l) => l.serviceDate ?? claim.statementDate).filter((d): d is string => d !== null));
    if (wanted.size === 0 && claim.statementDate) wanted.add(claim.statementDate);
    const candidates = (linesByPatient.get(patientId) ?? []).filter((l) => wanted.has(l.dateOfService));
    const lines = matchLines(
      claim.lines.map((l) => ({ ...l, serviceDate: l.serviceDate ?? claim.statementDate })),
      candidates,
    );
    const hits = lines.filter((l): l is CandidateLine => l !== null);
    if (hits.length === 0) {
      results[claimIndex] = { claimId: null, patientId, payerId: null, lines, matched: false };
      continue;
    }
    results[claimIndex] = {
      claimId: mostCommon(hits.map((h) => h.claimId)),
      patientId,
      payerId: mostCommon(hits.map((h) => h.payerId)),
      lines,
      matched: true,
    };
  }
  return results;
}
