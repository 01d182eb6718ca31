// Claim checks before a claim goes out (DOMAIN.md §6). Each issue says what is wrong on which
// line and how to fix it; nothing here changes a claim.
import {
  assistantModifiersOf,
  disciplineModifiersOf,
  expectedAssistantModifier,
  expectedDisciplineModifier,
  GA_MODIFIER,
  hasModifier,
  KX_MODIFIER,
  NCCI_BYPASS_MODIFIERS,
  normalizeCode,
  TELEHEALTH_MODIFIER,
  TELEHEALTH_PLACES_OF_SERVICE,
  TIMED_CODES,
  type TherapistCredential,
} from "./codes";
import { defaultTherapyCodeList, type TherapyCodeList, therapyStatusOf } from "./therapy-codes";
import { type UnitMethod, unitsByEightMinuteRule } from "./units";

export type ClaimIssueCode =
  | "missing_discipline_modifier"
  | "wrong_discipline_modifier"
  | "missing_assistant_modifier"
  | "wrong_assistant_modifier"
  | "assistant_modifier_without_assistant"
  | "missing_kx"
  | "kx_with_ga"
  | "ncci_pair_without_modifier"
  | "units_over"
  | "units_under"
  | "units_over_cap"
  | "units_over_mue"
  | "telehealth_not_allowed";

/** error: the claim will be denied or is wrong as billed; warning: money left on the table or worth a second look. */
export type ClaimIssueSeverity = "error" | "warning";

export interface ClaimIssue {
  code: ClaimIssueCode;
  severity: ClaimIssueSeverity;
  /** 0-based line of the claim the issue is on. */
  lineIndex: number;
  /** The other line involved (e.g. the other code of an NCCI pair). */
  relatedLineIndex?: number;
  /** What is wrong and how to fix it. */
  message: string;
}

export interface ClaimCheckLine {
  cpt: string;
  modifiers: readonly string[];
  /** Direct one-on-one minutes for timed codes; null for untimed codes. */
  minutes: number | null;
  unitsBilled: number;
  /** Two-digit place of service, e.g. "11" office, "02"/"10" telehealth. */
  placeOfService: string;
  /** Credential of the clinician who furnished the line; null when unknown (discipline checks skipped). */
  therapistCredential: TherapistCredential | null;
}

/** An NCCI procedure-to-procedure edit: the two codes are not paid together without a bypass modifier. */
export interface NcciPair {
  column1: string;
  column2: string;
  /** CMS's modifier indicator: "0" the pair is never billed together (no modifier bypasses it); "1" (default) 59/X may */
  modifierIndicator?: string;
}

/** A practitioner Medically Unlikely Edit: the most units of a code for one patient on one date of service. */
export interface MueCap {
  cpt: string;
  units: number;
  /** "1" per claim line; "2" / "3" per date of service (all of the claim's lines of the code) */
  adjudicationIndicator: string;
}

/**
 * NCCI pairs named in DOMAIN.md §6 (CMS publishes the full table quarterly; load it as data):
 * PT evaluations 97161–97163 with 97140; re-evaluation 97164 with 97530 and 97150; group
 * 97150 with each one-on-one timed code.
 */
export const DEFAULT_NCCI_PAIRS: readonly NcciPair[] = [
  { column1: "97161", column2: "97140" },
  { column1: "97162", column2: "97140" },
  { column1: "97163", column2: "97140" },
  { column1: "97164", column2: "97530" },
  { column1: "97164", column2: "97150" },
  ...[...TIMED_CODES].map((code) => ({ column1: "97150", column2: code })),
];

const SHIPPED_THERAPY_CODES = defaultTherapyCodeList();

/**
 * True when the line is a therapy service on the practice's therapy code list: an "always
 * therapy" code always; a "sometimes therapy" code when a therapist furnished it (then it is
 * furnished under the therapy plan of care and takes GP/GO/GN like any other).
 */
function isTherapyLine(list: TherapyCodeList, line: ClaimCheckLine): boolean {
  const status = therapyStatusOf(list, line.cpt);
  return status === "always" || (status === "sometimes" && line.therapistCredential !== null);
}

const DISCIPLINE_NAMES = { GP: "physical therapy", GO: "occupational therapy", GN: "speech-language pathology" };

/** The credential as a biller says it after "by" or "is": "a PT", "a PTA", "an OT", "an OTA", "an SLP" (said letter by letter). */
export function credentialWithArticle(credential: TherapistCredential): string {
  return `${/^[AEFHILMNORSX]/.test(credential) ? "an" : "a"} ${credential}`;
}

/** GP/GO/GN on every therapy line, matching the clinician's discipline (DOMAIN.md §6; CMS Pub. 100-04 ch. 5 §20.1). */
export function checkDisciplineModifiers(
  lines: readonly ClaimCheckLine[],
  therapyCodes: TherapyCodeList = SHIPPED_THERAPY_CODES,
): ClaimIssue[] {
  const issues: ClaimIssue[] = [];
  lines.forEach((line, lineIndex) => {
    if (!isTherapyLine(therapyCodes, line)) return;
    const present = disciplineModifiersOf(line.modifiers);
    const code = normalizeCode(line.cpt);
    const credential = line.therapistCredential;
    const wanted = credential ? expectedDisciplineModifier(credential) : null;
    if (present.length === 0) {
      issues.push({
        code: "missing_discipline_modifier",
        severity: "error",
        lineIndex,
        message:
          wanted && credential
            ? `Line ${lineIndex + 1} (${code}) has no therapy discipline modifier; the payer will deny it (CARC 4). Add ${wanted} for ${DISCIPLINE_NAMES[wanted]} furnished by ${credentialWithArticle(credential)}.`
            : `Line ${lineIndex + 1} (${code}) has no therapy discipline modifier; the payer will deny it (CARC 4). Add GP (PT), GO (OT) or GN (SLP) for the discipline that furnished it.`,
      });
      return;
    }
    if (present.length > 1) {
      issues.push({
        code: "wrong_discipline_modifier",
        severity: "error",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) carries ${present.join(" and ")}; a line takes exactly one discipline modifier. Keep ${wanted ?? "the one for the discipline that furnished it"} and remove the other.`,
      });
      return;
    }
    const [only] = present;
    if (wanted && credential && only !== wanted) {
      issues.push({
        code: "wrong_discipline_modifier",
        severity: "error",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) carries ${only} but was furnished by ${credentialWithArticle(credential)}; the modifier must be ${wanted} (${DISCIPLINE_NAMES[wanted]}), and it decides the threshold pool. Replace ${only} with ${wanted}.`,
      });
    }
  });
  return issues;
}

/** CQ/CO when a PTA/OTA furnished the service, and not otherwise (DOMAIN.md §6; 42 CFR 410.59/410.60, paid at 85%). */
export function checkAssistantModifiers(
  lines: readonly ClaimCheckLine[],
  therapyCodes: TherapyCodeList = SHIPPED_THERAPY_CODES,
): ClaimIssue[] {
  const issues: ClaimIssue[] = [];
  lines.forEach((line, lineIndex) => {
    if (!isTherapyLine(therapyCodes, line) || !line.therapistCredential) return;
    const code = normalizeCode(line.cpt);
    const present = assistantModifiersOf(line.modifiers);
    const wanted = expectedAssistantModifier(line.therapistCredential);
    if (wanted) {
      const wrong = present.filter((modifier) => modifier !== wanted);
      if (!present.includes(wanted) && wrong.length === 0) {
        issues.push({
          code: "missing_assistant_modifier",
          severity: "error",
          lineIndex,
          message: `Line ${lineIndex + 1} (${code}) was furnished by ${credentialWithArticle(line.therapistCredential)} but has no ${wanted}; Medicare requires ${wanted} on services furnished in whole or part by an assistant (paid at 85%, CARC 4 when missing). Add ${wanted}.`,
        });
      } else if (wrong.length > 0) {
        issues.push({
          code: "wrong_assistant_modifier",
          severity: "error",
          lineIndex,
          message: `Line ${lineIndex + 1} (${code}) was furnished by ${credentialWithArticle(line.therapistCredential)} and carries ${wrong.join(", ")}; the assistant modifier for ${credentialWithArticle(line.therapistCredential)} is ${wanted}. Replace ${wrong.join(", ")} with ${wanted}.`,
        });
      }
    } else if (present.length > 0) {
      issues.push({
        code: "assistant_modifier_without_assistant",
        severity: "warning",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) carries ${present.join(", ")} but the clinician is ${credentialWithArticle(line.therapistCredential)}, not an assistant; the line will be paid at 85%. Remove ${present.join(", ")} unless an assistant furnished part of the service (then document it).`,
      });
    }
  });
  return issues;
}

/**
 * KX on the line that crosses the KX threshold and every later line of that year and pool; never
 * KX together with GA (DOMAIN.md §1, §6; CMS Pub. 100-04 ch. 5 §10.3). needsKx[i] comes from thresholdCrossings.
 */
export function checkKxModifiers(lines: readonly ClaimCheckLine[], needsKx: readonly boolean[]): ClaimIssue[] {
  const issues: ClaimIssue[] = [];
  lines.forEach((line, lineIndex) => {
    const code = normalizeCode(line.cpt);
    const kx = hasModifier(line.modifiers, KX_MODIFIER);
    const ga = hasModifier(line.modifiers, GA_MODIFIER);
    if (kx && ga) {
      issues.push({
        code: "kx_with_ga",
        severity: "error",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) carries both KX and GA, which are never used together. Keep KX when the documentation supports medical necessity; keep GA (and no KX) when it does not and the patient signed an ABN.`,
      });
      return;
    }
    if (needsKx[lineIndex] && !kx && !ga) {
      issues.push({
        code: "missing_kx",
        severity: "error",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) is at or past the line where the patient's therapy total crosses the KX threshold this year, and has no KX; Medicare will deny it (CO-119). Add KX if the documentation supports medical necessity, or GA if an ABN was signed.`,
      });
    }
  });
  return issues;
}

/** NCCI procedure-to-procedure pairs billed together need 59 or XE/XS/XP/XU with distinct documented time (DOMAIN.md §6; CMS NCCI Policy Manual ch. 11). */
export function checkNcciPairs(lines: readonly ClaimCheckLine[], pairs: readonly NcciPair[] = DEFAULT_NCCI_PAIRS): ClaimIssue[] {
  const issues: ClaimIssue[] = [];
  const bypassed = (line: ClaimCheckLine) => NCCI_BYPASS_MODIFIERS.some((m) => hasModifier(line.modifiers, m));
  const codes = lines.map((line) => normalizeCode(line.cpt));
  for (const pair of pairs) {
    const column1 = normalizeCode(pair.column1);
    const column2 = normalizeCode(pair.column2);
    codes.forEach((code2, index2) => {
      if (code2 !== column2) return;
      const index1 = codes.findIndex((code1, i) => i !== index2 && code1 === column1);
      if (index1 < 0) return;
      const line1 = lines[index1];
      const line2 = lines[index2];
      if (!line1 || !line2) return;
      if (pair.modifierIndicator === "0") {
        issues.push({
          code: "ncci_pair_without_modifier",
          severity: "error",
          lineIndex: index2,
          relatedLineIndex: index1,
          message: `Line ${index2 + 1} (${column2}) is billed with line ${index1 + 1} (${column1}), an NCCI pair that is never paid together (no modifier bypasses it): remove ${column2}.`,
        });
        return;
      }
      if (bypassed(line1) || bypassed(line2)) return;
      issues.push({
        code: "ncci_pair_without_modifier",
        severity: "error",
        lineIndex: index2,
        relatedLineIndex: index1,
        message: `Line ${index2 + 1} (${column2}) is billed with line ${index1 + 1} (${column1}), an NCCI pair; without a modifier ${column2} is bundled and denied (CO-97). If ${column2} was a separate service with its own documented time, add 59 (or XU/XS/XE/XP) to line ${index2 + 1}; otherwise remove it.`,
      });
    });
  }
  return issues;
}

/**
 * Units billed against the payer's unit method and caps: more than supported (overbilling risk),
 * fewer (lost revenue), over the payer's per-visit cap or MUE (DOMAIN.md §2, §6; CMS Pub. 100-04 ch. 5 §20.2).
 */
export function checkUnits(
  lines: readonly ClaimCheckLine[],
  unitMethod: UnitMethod,
  unitCaps: Readonly<Record<string, number>> = {},
): ClaimIssue[] {
  const capOf = (cpt: string): number | null => unitCaps[normalizeCode(cpt)] ?? null;
  const units = unitsByEightMinuteRule(
    lines.map((line) => ({
      cpt: line.cpt,
      minutes: line.minutes,
      unitsBilled: line.unitsBilled,
      maxUnitsPerVisit: capOf(line.cpt),
    })),
    unitMethod,
  );
  const methodName =
    unitMethod === "cms" ? "the CMS 8-minute rule (minutes pooled across the visit)" : "the payer's per-code rule of eights";
  const issues: ClaimIssue[] = [];
  units.lines.forEach((result, lineIndex) => {
    const code = normalizeCode(result.cpt);
    const cap = capOf(result.cpt);
    const what = result.timed
      ? `${result.minutes} timed minutes support ${result.unitsByMinutes} unit(s) by ${methodName}`
      : "an untimed code supports 1 unit per visit";
    if (cap !== null && result.unitsBilled > cap) {
      issues.push({
        code: "units_over_cap",
        severity: "error",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) bills ${result.unitsBilled} units; the payer pays at most ${cap} per visit. Bill ${Math.min(cap, result.unitsSupported)} unit(s); units over the cap are denied.`,
      });
    } else if (result.flag === "over") {
      issues.push({
        code: "units_over",
        severity: "error",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) bills ${result.unitsBilled} units but ${what}. Bill ${result.unitsSupported} unit(s), or correct the documented minutes if they are wrong.`,
      });
    } else if (result.flag === "under") {
      issues.push({
        code: "units_under",
        severity: "warning",
        lineIndex,
        message: `Line ${lineIndex + 1} (${code}) bills ${result.unitsBilled} unit(s) but ${what}${result.capped ? ` (capped at ${cap})` : ""}. Bill ${result.unitsSupported} unit(s) to be paid for the time documented.${result.tieBroken ? " A tie on leftover minutes gave the unit to the earlier line; moving it to the other tied line is also correct." : ""}`,
      });
    }
  });
  return issues;
}

/** Telehealth (POS 02/10 or modifier 95) only where the payer covers it on that date (DOMAIN.md §6). */
export function checkTelehealth(lines: readonly ClaimCheckLine[], payerAllowsTelehealth: boolean): ClaimIssue[] {
  if (payerAllowsTelehealth) return [];
  const issues: ClaimIssue[] = [];
  lines.forEach((line, lineIndex) => {
    const pos = line.placeOfService.trim();
    const byPlace = TELEHEALTH_PLACES_OF_SERVICE.includes(pos);
    const byModifier = hasModifier(line.modifiers, TELEHEALTH_MODIFIER);
    if (!byPlace && !byModifier) return;
    const how = [byPlace ? `place of service ${pos}` : null, byModifier ? "modifier 95" : null].filter(Boolean).join(" and ");
    issues.push({
      code: "telehealth_not_allowed",
      severity: "error",
      lineIndex,
      message: `Line ${lineIndex + 1} (${normalizeCode(line.cpt)}) is billed as telehealth (${how}), which this payer does not cover on this date. If the visit was in person, use the in-person place of service (e.g. 11) and remove 95; if it was telehealth, confirm the payer's telehealth policy before sending.`,
    });
  });
  return issues;
}

export interface ClaimCheckInput {
  lines: readonly ClaimCheckLine[];
  /** The payer's unit method (Medicare: "cms"). */
  unitMethod: UnitMethod;
  /** Max units per visit by code (payer caps, MUEs). */
  unitCaps?: Readonly<Record<string, number>>;
  /** needsKx[i]: line i is at or after the KX crossing line of its pool (Medicare only). */
  needsKx?: readonly boolean[];
  /** Whether the payer covers telehealth on the date of service. */
  payerAllowsTelehealth: boolean;
  /** NCCI pair table; DEFAULT_NCCI_PAIRS when not given. */
  ncciPairs?: readonly NcciPair[];
  /** The practice's practitioner MUE table (none when not given). */
  mueCaps?: readonly MueCap[];
  /** The practice's therapy code list: which lines need GP/GO/GN and CQ/CO (the shipped default when not given). */
  therapyCodes?: TherapyCodeList;
}

/**
 * Units over a Medically Unlikely Edit (DOMAIN.md §6; CMS NCCI MUE table, practitioner services):
 * MAI 1 caps each claim line, MAI 2 and 3 the code's units on the date of service (the claim's
 * lines of the code together). "97530: 7 units billed, MUE 6".
 */
export function checkMueCaps(lines: readonly ClaimCheckLine[], caps: readonly MueCap[]): ClaimIssue[] {
  const issues: ClaimIssue[] = [];
  const capOf = new Map(caps.map((c) => [normalizeCode(c.cpt), c]));
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const code = normalizeCode(line.cpt);
    const cap = capOf.get(code);
    if (!cap) return;
    if (cap.adjudicationIndicator === "1") {
      if (line.unitsBilled > cap.units)
        issues.push({
          code: "units_over_mue",
          severity: "error",
          lineIndex: index,
          message: `${code}: ${line.unitsBilled} units billed on line ${index + 1}, MUE ${cap.units} per line. Medicare denies the line (CO-151); split it only if the units were separate services.`,
        });
      return;
    }
    if (seen.has(code)) return;
    seen.add(code);
    const billed = lines.reduce((sum, l) => sum + (normalizeCode(l.cpt) === code ? l.unitsBilled : 0), 0);
    if (billed > cap.units)
      issues.push({
        code: "units_over_mue",
        severity: "error",
        lineIndex: index,
        message: `${code}: ${billed} units billed, MUE ${cap.units}. Medicare pays no more than ${cap.units} per day and denies the line (CO-151): bill ${cap.units} or fewer.`,
      });
  });
  return issues;
}

/** All claim checks of DOMAIN.md §6 on one claim, in line order. */
export function checkClaim(input: ClaimCheckInput): ClaimIssue[] {
  const issues = [
    ...checkDisciplineModifiers(input.lines, input.therapyCodes),
    ...checkAssistantModifiers(input.lines, input.therapyCodes),
    ...checkKxModifiers(input.lines, input.needsKx ?? []),
    ...checkNcciPairs(input.lines, input.ncciPairs ?? DEFAULT_NCCI_PAIRS),
    ...checkUnits(input.lines, input.unitMethod, input.unitCaps ?? {}),
    ...checkMueCaps(input.lines, input.mueCaps ?? []),
    ...checkTelehealth(input.lines, input.payerAllowsTelehealth),
  ];
  return issues.sort((a, b) => a.lineIndex - b.lineIndex);
}
