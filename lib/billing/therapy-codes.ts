// Which codes are therapy: CMS's therapy code list (the Annual Therapy Update), "always therapy"
// and "sometimes therapy". One list decides, for every figure and check of the app:
//   - which lines count toward the KX threshold (a line of a code off the list never does);
//   - which codes the therapy MPPR reduces (a code on the list whose fee-schedule row has
//     MULT PROC 5; a code off the list is paid in full);
//   - which lines need GP/GO/GN (and CQ/CO) in the claim checks.
// The list is the one a practice loaded from CMS (`npm run reference -- therapy-codes`), else
// the shipped default below. Sources: CMS Pub. 100-04 ch. 5 §20 (always / sometimes therapy),
// §10.7 (MPPR); DOMAIN.md §1, §3, §6.
import { normalizeCode, poolOfLine, type TherapyPool, TIMED_CODES, UNTIMED_CODES } from "./codes";

/**
 * "always": a therapy service whoever furnishes it (GP/GO/GN always required);
 * "sometimes": therapy when a therapist furnishes it under a therapy plan of care (then it takes
 * GP/GO/GN and is therapy in every respect), otherwise not.
 */
export type TherapyStatus = "always" | "sometimes";

export interface TherapyCodeList {
  /** code → status; a code not in the map is not therapy */
  codes: ReadonlyMap<string, TherapyStatus>;
  /** "loaded": CMS's list as the practice loaded it; "default": the shipped default */
  source: "loaded" | "default";
}

/**
 * Speech-language pathology codes of the shipped default (treatment, evaluations, AAC and voice
 * prosthesis, swallowing): CMS counts SLP services toward the PT/SLP threshold (DOMAIN.md §1).
 */
export const SLP_THERAPY_CODES: readonly string[] = [
  "92507",
  "92508",
  "92521",
  "92522",
  "92523",
  "92524",
  "92526",
  "92597",
  "92605",
  "92606",
  "92607",
  "92608",
  "92609",
  "92610",
  "92618",
];

/**
 * Codes of the built-in list that CMS lists as "sometimes therapy" (active wound care and
 * negative-pressure wound therapy, which physicians and nurses also furnish).
 */
export const DEFAULT_SOMETIMES_THERAPY: ReadonlySet<string> = new Set([
  "97597",
  "97598",
  "97602",
  "97605",
  "97606",
  "97607",
  "97608",
  "97610",
]);

/**
 * The shipped default list: the app's timed and untimed therapy codes (lib/billing/codes.ts), the
 * SLP codes above, and every code the practice's fee schedule marks MULT PROC 5 (CMS gives it to
 * the therapy codes the MPPR reduces), all "always" but the wound-care codes.
 */
export function defaultTherapyCodeList(multProc5Codes: Iterable<string> = []): TherapyCodeList {
  const codes = new Map<string, TherapyStatus>();
  for (const code of [...TIMED_CODES, ...UNTIMED_CODES, ...SLP_THERAPY_CODES, ...multProc5Codes]) {
    const normalized = normalizeCode(code);
    codes.set(normalized, DEFAULT_SOMETIMES_THERAPY.has(normalized) ? "sometimes" : "always");
  }
  return { codes, source: "default" };
}

/** A loaded list (CMS's file as the practice loaded it). */
export function loadedTherapyCodeList(rows: Iterable<{ cpt: string; status: TherapyStatus }>): TherapyCodeList {
  return { codes: new Map([...rows].map((r) => [normalizeCode(r.cpt), r.status])), source: "loaded" };
}

/** The code's status on the list, or null when it is not a therapy code. */
export function therapyStatusOf(list: TherapyCodeList, cpt: string): TherapyStatus | null {
  return list.codes.get(normalizeCode(cpt)) ?? null;
}

/** True for a code on the list (always or sometimes therapy). */
export function isListedTherapyCode(list: TherapyCodeList, cpt: string): boolean {
  return list.codes.has(normalizeCode(cpt));
}

/**
 * The KX threshold pool of a line: its discipline modifier's pool (GP/GN → PT_SLP, GO → OT) when
 * its code is on the therapy list, else null: a line of a code off the list never counts toward
 * the threshold, whatever modifier it carries (DOMAIN.md §1).
 */
export function therapyPoolOfLine(list: TherapyCodeList, cpt: string, modifiers: readonly string[]): TherapyPool | null {
  return isListedTherapyCode(list, cpt) ? poolOfLine(modifiers) : null;
}
