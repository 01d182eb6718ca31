import { expectedAssistantModifier, expectedDisciplineModifier, isTimedCode, poolOfLine, type TherapyPool } from "../../lib/billing/codes";
import { contractInForce } from "../../lib/billing/contracts";
import type { UnitMethod } from "../../lib/billing/units";
import { FEMALE_FIRST_OLDER, FEMALE_FIRST_YOUNGER, LAST_NAMES, MALE_FIRST_OLDER, MALE_FIRST_YOUNGER } from "./names";
import { exerciseNote, functionalNote, noteForCode } from "./notes";
import {
  CHARGE_MASTER,
  type Discipline,
  EVALUATION_CODES,
  makeMemberId,
  type PayerProfile,
  RE_EVALUATION_CODE,
  type Therapist,
  TIMED_CODES_BY_DISCIPLINE,
} from "./practice";
import type { Random } from "./random";
import { fromDay, nextWeekday, toDay, weekday } from "./calendar";
import type { Context } from "./context";

export interface Patient {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  payer: PayerProfile;
  memberId: string;
  clinicIndex: number;
}

export interface PlannedLine {
  cpt: string;
  minutes: number | null;
  units: number;
  chargeCents: number;
  discipline: string | null;
  assistant: string | null;
  kx: boolean;
  ga: boolean;
  /** True when the line is 97140 on a PT evaluation visit (NCCI pair: needs 59). */
  needs59: boolean;
  has59: boolean;
  telehealth: boolean;
  note: string;
  /** Expected allowed (cents) from lib/billing; null when it cannot be priced. */
  expectedCents: number | null;
  /** Medicare: the line is at or past the KX crossing line of its pool. */
  needsKx: boolean;
}

export interface PlannedVisit {
  day: number;
  episode: number;
  discipline: Discipline;
  therapist: Therapist;
  placeOfService: string;
  lines: PlannedLine[];
  dropped: boolean;
}

interface Episode {
  discipline: Discipline;
  startDay: number;
  endDay: number;
  perWeek: number;
  reEvaluation: boolean;
}

const WEEK_PATTERNS: Readonly<Record<number, readonly (readonly number[])[]>> = {
  1: [[1], [2], [3], [4], [5]],
  2: [
    [1, 4],
    [2, 5],
    [1, 3],
    [2, 4],
    [3, 5],
  ],
  3: [
    [1, 3, 5],
    [1, 2, 4],
    [2, 4, 5],
  ],
};

// Weight tables used per visit (kept as constants: no allocation in the hot path).
const TREATMENT_CODE_COUNT: readonly (readonly [number, number])[] = [
  [1, 18],
  [2, 50],
  [3, 27],
  [4, 5],
];
const EVALUATION_EXTRA_CODE_COUNT: readonly (readonly [number, number])[] = [
  [1, 55],
  [2, 45],
];
const MANUAL_THERAPY_ONLY: readonly (readonly [string, number])[] = [["97140", 1]];

export function disciplineOfPool(discipline: Discipline): TherapyPool {
  return discipline === "OT" ? "OT" : "PT_SLP";
}

function otherDiscipline(rng: Random, discipline: Discipline, slpAllowed: boolean): Discipline {
  if (discipline === "PT") return rng.chance(slpAllowed ? 0.8 : 1) ? "OT" : "SLP";
  return "PT";
}

export function makePatient(ctx: Context, rng: Random, index: number): { patient: Patient; age: number } {
  const payer = rng.weighted(ctx.payerWeights);
  const female = rng.chance(0.58);
  const medicareAge = payer.kind === "medicare" || payer.kind === "medicare_advantage";
  let age: number;
  if (medicareAge) age = rng.normalInt(76, 7, 66, 96);
  else if (payer.kind === "medicaid" && rng.chance(0.35)) age = rng.int(3, 12);
  else age = rng.int(19, 64);
  const older = age >= 50;
  const firstName = rng.pick(female ? (older ? FEMALE_FIRST_OLDER : FEMALE_FIRST_YOUNGER) : older ? MALE_FIRST_OLDER : MALE_FIRST_YOUNGER);
  const lastName = rng.pick(LAST_NAMES);
  const birthYear = ctx.opts.year - age;
  const birthDay = toDay(`${birthYear}-01-01`) + rng.int(0, 364);
  return {
    age,
    patient: {
      id: `P${String(index + 1).padStart(6, "0")}`,
      firstName,
      lastName,
      birthDate: fromDay(birthDay),
      payer,
      memberId: makeMemberId(rng, payer),
      clinicIndex: rng.int(0, ctx.clinics.length - 1),
    },
  };
}

function slpAllowedFor(ctx: Context, payer: PayerProfile): boolean {
  if (payer.kind === "commercial" && payer.slug === "uhc") return ctx.slpPricedByMedicare;
  if (payer.kind === "medicare" || payer.kind === "medicare_advantage") return ctx.slpPricedByMedicare;
  return true;
}

export function planEpisodes(ctx: Context, rng: Random, patient: Patient, age: number): Episode[] {
  const slpAllowed = slpAllowedFor(ctx, patient.payer);
  const first: Discipline =
    age <= 12
      ? "SLP"
      : rng.weighted<Discipline>([
          ["PT", 65],
          ["OT", 22],
          ["SLP", slpAllowed ? 13 : 0],
        ]);
  // Medicare patients get a fixed quota of long episodes (one in fourteen high, two in
  // fourteen moderate) so that every practice has patients crossing each threshold level.
  let profile: "high" | "moderate" | "typical";
  if (patient.payer.kind === "medicare") {
    const slot = ctx.medicareSeen++ % 14;
    profile = slot === 3 ? "high" : slot === 7 || slot === 11 ? "moderate" : "typical";
  } else {
    profile = rng.weighted<"high" | "moderate" | "typical">([
      ["high", 2],
      ["moderate", 10],
      ["typical", 88],
    ]);
  }
  const lastStart = ctx.endDay - 7;
  const episode = (discipline: Discipline, startDay: number, weeks: number, perWeek: number): Episode => {
    const start = nextWeekday(Math.min(startDay, lastStart));
    return {
      discipline,
      startDay: start,
      endDay: Math.min(start + weeks * 7 - 1, ctx.endDay),
      perWeek: discipline === "SLP" ? Math.min(perWeek, 2) : perWeek,
      reEvaluation: discipline !== "SLP" && weeks >= 10 && rng.chance(0.6),
    };
  };
  const episodes: Episode[] = [];
  if (profile === "high") {
    const start = ctx.yearStartDay + rng.int(0, 120);
    episodes.push(
      episode(
        first,
        start,
        rng.int(18, 30),
        rng.weighted([
          [2, 40],
          [3, 60],
        ]),
      ),
    );
    if (age > 12 && rng.chance(0.5)) {
      episodes.push(
        episode(
          otherDiscipline(rng, first, slpAllowed),
          start + rng.int(0, 28),
          rng.int(14, 26),
          rng.weighted([
            [2, 70],
            [3, 30],
          ]),
        ),
      );
    }
  } else if (profile === "moderate") {
    const start = ctx.yearStartDay + rng.int(0, 240);
    episodes.push(
      episode(
        first,
        start,
        rng.int(8, 13),
        rng.weighted([
          [2, 60],
          [3, 40],
        ]),
      ),
    );
    if (age > 12 && rng.chance(0.15)) {
      episodes.push(episode(otherDiscipline(rng, first, slpAllowed), start + rng.int(0, 21), rng.int(6, 12), 2));
    }
  } else {
    const start = ctx.yearStartDay + rng.int(0, Math.max(0, lastStart - ctx.yearStartDay));
    const firstEpisode = episode(
      first,
      start,
      rng.int(2, 5),
      rng.weighted([
        [1, 30],
        [2, 55],
        [3, 15],
      ]),
    );
    episodes.push(firstEpisode);
    if (rng.chance(0.15)) {
      const discipline = age <= 12 || rng.chance(0.6) ? first : otherDiscipline(rng, first, slpAllowed);
      const secondStart = firstEpisode.endDay + rng.int(14, 70);
      if (secondStart < lastStart)
        episodes.push(
          episode(
            discipline,
            secondStart,
            rng.int(2, 5),
            rng.weighted([
              [1, 30],
              [2, 55],
              [3, 15],
            ]),
          ),
        );
    }
  }
  return episodes;
}

function therapistsFor(ctx: Context, patient: Patient, discipline: Discipline): { lead: Therapist; assistant: Therapist | null } {
  let clinicIndex = patient.clinicIndex;
  // SLPs work at the even-numbered clinics: an odd clinic's patient sees the neighbouring clinic's SLP.
  if (discipline === "SLP" && !ctx.staff[clinicIndex]?.has("SLP")) clinicIndex -= 1;
  const staff = ctx.staff[clinicIndex] as Map<string, Therapist>;
  const lead = staff.get(discipline);
  if (!lead) throw new Error(`clinic ${clinicIndex} has no ${discipline}`);
  const assistant = discipline === "PT" ? staff.get("PTA") : discipline === "OT" ? staff.get("OTA") : undefined;
  return { lead, assistant: assistant ?? null };
}

function unitMethodFor(ctx: Context, payer: PayerProfile, date: string): UnitMethod {
  if (payer.kind === "medicare") return "cms";
  return contractInForce(ctx.contracts, payer.name, date)?.unitMethod ?? "cms";
}

/** Splits a total of minutes over `count` codes, each at least `min`. */
function splitMinutes(rng: Random, total: number, count: number, min: number): number[] {
  const weights = Array.from({ length: count }, () => 0.6 + rng.next());
  const sum = weights.reduce((s, w) => s + w, 0);
  const minutes = weights.map((w) => Math.max(min, Math.round((total * w) / sum)));
  return minutes;
}

function lineNote(rng: Random, cpt: string): string {
  if (rng.chance(0.08)) return "";
  if (cpt === "97110" && rng.chance(0.13)) return functionalNote(rng);
  if (cpt === "97530" && rng.chance(0.12)) return exerciseNote(rng);
  return noteForCode(rng, cpt);
}

function planVisitLines(
  ctx: Context,
  rng: Random,
  patient: Patient,
  visit: {
    discipline: Discipline;
    therapist: Therapist;
    kind: "evaluation" | "re_evaluation" | "treatment";
    telehealth: boolean;
    date: string;
  },
): PlannedLine[] {
  const { discipline, therapist, kind, telehealth } = visit;
  const payer = patient.payer;
  const codes: { cpt: string; minutes: number | null }[] = [];

  if (discipline === "SLP") {
    if (kind === "evaluation") codes.push({ cpt: rng.weighted(EVALUATION_CODES.SLP), minutes: null });
    else {
      codes.push({ cpt: "92507", minutes: null });
      if (rng.chance(0.2)) codes.push({ cpt: "92526", minutes: null });
    }
  } else {
    let timedChoices = TIMED_CODES_BY_DISCIPLINE[discipline];
    if (telehealth) timedChoices = timedChoices.filter(([cpt]) => cpt !== "97140" && cpt !== "97116");
    if (kind === "re_evaluation") timedChoices = timedChoices.filter(([cpt]) => cpt !== "97530");
    let count: number;
    let total: number;
    if (kind === "treatment") {
      count = rng.weighted(TREATMENT_CODE_COUNT);
      total = count === 1 ? rng.normalInt(30, 7, 15, 45) : rng.normalInt(45, 9, 22, 70);
    } else {
      codes.push({
        cpt: kind === "evaluation" ? rng.weighted(EVALUATION_CODES[discipline]) : (RE_EVALUATION_CODE[discipline] as string),
        minutes: null,
      });
      count = rng.weighted(EVALUATION_EXTRA_CODE_COUNT);
      total = rng.normalInt(22, 6, 10, 35);
      // A PT evaluation with manual therapy: the NCCI pair of DOMAIN.md §6.
      if (kind === "evaluation" && discipline === "PT" && rng.chance(0.35)) {
        timedChoices = MANUAL_THERAPY_ONLY;
        count = 1;
      }
    }
    const chosen = rng.weightedSample(timedChoices, count);
    const minutes = splitMinutes(rng, total, chosen.length, 5);
    chosen.forEach((cpt, index) => {
      let codeMinutes = minutes[index] as number;
      // Now and then a long 97530 block on a Blue Cross visit: more units than its cap of 4.
      if (cpt === "97530" && payer.slug === "bcbs" && kind === "treatment" && rng.chance(0.04)) codeMinutes = rng.int(68, 75);
      codes.push({ cpt, minutes: codeMinutes });
    });
  }

  // Units by the payer's method. A timed code whose minutes support no unit is not billed;
  // the rest are re-counted without it, so the claim is consistent with the minutes it shows.
  const method = unitMethodFor(ctx, payer, visit.date);
  let supported = unitsForCodes(codes, method);
  while (supported.includes(0)) {
    const keep = codes.filter((_, i) => supported[i] !== 0);
    codes.length = 0;
    codes.push(...keep);
    supported = unitsForCodes(codes, method);
  }
  const disciplineModifier = expectedDisciplineModifier(therapist.credential);
  const assistantModifier = expectedAssistantModifier(therapist.credential);
  const lines: PlannedLine[] = [];
  codes.forEach((code, index) => {
    const timed = isTimedCode(code.cpt);
    let units = supported[index] as number;
    if (timed) {
      const draw = rng.next();
      if (draw < 0.025)
        units += 1; // billed over what the minutes support
      else if (draw < 0.045 && units >= 2) units -= 1; // billed under
    }
    const isEvalPair = kind === "evaluation" && discipline === "PT" && code.cpt === "97140";
    lines.push({
      cpt: code.cpt,
      minutes: timed ? code.minutes : null,
      units,
      chargeCents: (CHARGE_MASTER[code.cpt] as number) * units,
      discipline: rng.chance(0.004) ? null : disciplineModifier,
      assistant: assistantModifier,
      kx: false,
      ga: false,
      needs59: isEvalPair,
      has59: isEvalPair && rng.chance(0.65),
      telehealth,
      note: lineNote(rng, code.cpt),
      expectedCents: null,
      needsKx: false,
    });
  });
  return lines;
}

/**
 * Units the minutes support, per code of a visit whose codes are distinct: CMS (pooled: N =
 * floor((T + 7) / 15) for T ≥ 8, full units per code, the rest to the largest leftovers,
 * earlier code on a tie) or per code (floor((m + 7) / 15) for m ≥ 8); 1 for an untimed code.
 * The same results as lib/billing's unitsByEightMinuteRule (CMS Pub. 100-04 ch. 5 §20.2), which
 * the tests check; written out here because it runs for every generated visit.
 */
function unitsForCodes(codes: readonly { cpt: string; minutes: number | null }[], method: UnitMethod): number[] {
  const units: number[] = new Array(codes.length).fill(1);
  const timed: boolean[] = codes.map((c) => isTimedCode(c.cpt));
  if (method === "per_code") {
    codes.forEach((code, index) => {
      if (!timed[index]) return;
      const minutes = code.minutes ?? 0;
      units[index] = minutes < 8 ? 0 : Math.floor((minutes + 7) / 15);
    });
    return units;
  }
  let total = 0;
  codes.forEach((code, index) => {
    if (timed[index]) total += code.minutes ?? 0;
  });
  let remaining = total < 8 ? 0 : Math.floor((total + 7) / 15);
  codes.forEach((code, index) => {
    if (!timed[index]) return;
    units[index] = Math.floor((code.minutes ?? 0) / 15);
    remaining -= units[index] as number;
  });
  const given: boolean[] = codes.map(() => false);
  while (remaining > 0) {
    let best = -1;
    let bestLeftover = 0;
    codes.forEach((code, index) => {
      const leftover = (code.minutes ?? 0) % 15;
      if (timed[index] && !given[index] && leftover > bestLeftover) {
        best = index;
        bestLeftover = leftover;
      }
    });
    if (best < 0) break;
    given[best] = true;
    units[best] = (units[best] as number) + 1;
    remaining -= 1;
  }
  return units;
}

export function modifiersOf(line: PlannedLine): string[] {
  const modifiers: string[] = [];
  if (line.discipline) modifiers.push(line.discipline);
  if (line.assistant) modifiers.push(line.assistant);
  if (line.kx) modifiers.push("KX");
  else if (line.ga) modifiers.push("GA");
  if (line.has59) modifiers.push("59");
  if (line.telehealth) modifiers.push("95");
  return modifiers;
}

export function planVisits(ctx: Context, rng: Random, patient: Patient, episodes: Episode[]): PlannedVisit[] {
  const visits: PlannedVisit[] = [];
  episodes.forEach((episode, episodeIndex) => {
    const { lead, assistant } = therapistsFor(ctx, patient, episode.discipline);
    const assistantShare = assistant
      ? rng.weighted([
          [0, 35],
          [0.35, 40],
          [0.7, 25],
        ])
      : 0;
    const pattern = rng.pick(WEEK_PATTERNS[episode.perWeek] as readonly (readonly number[])[]);
    const reEvalFrom = episode.reEvaluation ? episode.startDay + rng.int(56, 70) : Number.POSITIVE_INFINITY;
    let reEvalDone = false;
    for (let day = episode.startDay; day <= episode.endDay; day++) {
      const isStart = day === episode.startDay;
      if (!isStart) {
        if (!pattern.includes(weekday(day))) continue;
        if (ctx.holidays.has(fromDay(day))) continue;
        if (rng.chance(0.08)) continue; // cancellation / no-show
      }
      let kind: "evaluation" | "re_evaluation" | "treatment" = "treatment";
      if (isStart) kind = "evaluation";
      else if (!reEvalDone && day >= reEvalFrom) {
        kind = "re_evaluation";
        reEvalDone = true;
      }
      const therapist = kind === "treatment" && assistant && rng.chance(assistantShare) ? assistant : lead;
      const telehealth = kind === "treatment" && patient.payer.telehealth && rng.chance(0.035);
      const lines = planVisitLines(ctx, rng, patient, {
        discipline: episode.discipline,
        therapist,
        kind,
        telehealth,
        date: fromDay(day),
      });
      if (lines.length === 0) continue;
      visits.push({
        day,
        episode: episodeIndex,
        discipline: episode.discipline,
        therapist,
        placeOfService: telehealth ? "02" : "11",
        lines,
        dropped: false,
      });
    }
  });
  visits.sort((a, b) => a.day - b.day || a.episode - b.episode);
  return visits;
}

type KxPolicy = "diligent" | "late" | "sporadic" | "abn";

interface PoolTrack {
  running: number;
  crossed: { alert: boolean; kx: boolean; review: boolean };
}

export function placeKx(ctx: Context, rng: Random, visits: PlannedVisit[], usedElsewhere: Record<TherapyPool, number>): void {
  const tracks: Record<TherapyPool, PoolTrack> = {
    PT_SLP: { running: usedElsewhere.PT_SLP, crossed: { alert: false, kx: false, review: false } },
    OT: { running: usedElsewhere.OT, crossed: { alert: false, kx: false, review: false } },
  };
  const policies: Record<TherapyPool, KxPolicy> = {
    PT_SLP: rng.weighted<KxPolicy>([
      ["diligent", 64],
      ["late", 15],
      ["sporadic", 13],
      ["abn", 8],
    ]),
    OT: rng.weighted<KxPolicy>([
      ["diligent", 64],
      ["late", 15],
      ["sporadic", 13],
      ["abn", 8],
    ]),
  };
  /** Pool visits since the crossing visit (0 = the crossing visit). */
  const visitsSinceCrossing: Record<TherapyPool, number> = { PT_SLP: -1, OT: -1 };
  const lateBy: Record<TherapyPool, number> = { PT_SLP: rng.int(1, 3), OT: rng.int(1, 3) };

  for (const visit of visits) {
    const visitPool = disciplineOfPool(visit.discipline);
    if (visitsSinceCrossing[visitPool] >= 0) visitsSinceCrossing[visitPool] += 1;
    if (policies[visitPool] === "abn" && visitsSinceCrossing[visitPool] >= 3) {
      // After an ABN the patient stops this therapy: later visits of the pool are not held.
      visit.dropped = true;
      continue;
    }
    const missThisVisit = policies[visitPool] === "sporadic" && rng.chance(0.15);
    for (const line of visit.lines) {
      const pool = poolOfLine(modifiersOf(line));
      const track = pool ? tracks[pool] : null;
      if (pool && track) {
        track.running += line.expectedCents ?? 0;
        if (!track.crossed.alert && track.running > ctx.thresholds.alert) track.crossed.alert = true;
        if (!track.crossed.kx && track.running > ctx.thresholds.kx) {
          track.crossed.kx = true;
          visitsSinceCrossing[pool] = 0;
        }
        if (!track.crossed.review && track.running > ctx.thresholds.review) track.crossed.review = true;
        line.needsKx = track.crossed.kx;
      }
      const since = visitsSinceCrossing[visitPool];
      if (since < 0 || (pool !== null && !line.needsKx)) continue;
      switch (policies[visitPool]) {
        case "diligent":
          line.kx = true;
          break;
        case "late":
          line.kx = since >= lateBy[visitPool];
          break;
        case "sporadic":
          line.kx = !missThisVisit;
          break;
        case "abn":
          line.ga = true;
          break;
      }
    }
  }

  const summary = ctx.summary;
  let anyAlert = false;
  let anyKx = false;
  let anyReview = false;
  for (const pool of ["PT_SLP", "OT"] as const) {
    const crossed = tracks[pool].crossed;
    if (crossed.alert) summary.poolsCrossing[pool].alert += 1;
    if (crossed.kx) summary.poolsCrossing[pool].kx += 1;
    if (crossed.review) summary.poolsCrossing[pool].review += 1;
    anyAlert ||= crossed.alert;
    anyKx ||= crossed.kx;
    anyReview ||= crossed.review;
  }
  if (anyAlert) summary.medicarePatientsCrossing.alert += 1;
  if (anyKx) summary.medicarePatientsCrossing.kx += 1;
  if (anyReview) summary.medicarePatientsCrossing.review += 1;
}

// ---------------------------------------------------------------------------------------
// Remits
