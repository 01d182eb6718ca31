// Therapy codes and modifiers: which codes are timed (15-minute units under the 8-minute
// rule), which modifiers say who furnished a service, and which threshold pool a line
// belongs to. Sources: CMS Pub. 100-04 ch. 5 §20.2 (timed codes) and §20.1 (GP/GO/GN);
// CQ/CO from the CY2020 Physician Fee Schedule final rule (42 CFR 410.59, 410.60);
// DOMAIN.md §1, §2, §6.

/** Timed codes: "each 15 minutes" in the CPT descriptor, billed by the 8-minute rule (CMS Pub. 100-04 ch. 5 §20.2). */
export const TIMED_CODES: ReadonlySet<string> = new Set([
  // Modalities with constant attendance, each 15 minutes
  "97032", // electrical stimulation, manual
  "97033", // iontophoresis
  "97034", // contrast baths
  "97035", // ultrasound
  "97036", // Hubbard tank
  "97039", // unlisted modality, constant attendance (DOMAIN.md "Precise cases": 97032–97039; there is no 97037 or 97038)
  // Therapeutic procedures, each 15 minutes
  "97110", // therapeutic exercise
  "97112", // neuromuscular re-education
  "97113", // aquatic therapy
  "97116", // gait training
  "97124", // massage
  "97140", // manual therapy
  "97530", // therapeutic activities
  "97533", // sensory integrative techniques
  "97535", // self-care / home management training
  "97537", // community / work reintegration training
  "97542", // wheelchair management
  // Cognitive function intervention: 97129 initial 15 minutes, 97130 each additional 15 minutes
  "97129",
  "97130",
  // Tests and measurements, orthotics and prosthetics, each 15 minutes
  "97750", // physical performance test
  "97755", // assistive technology assessment
  "97760", // orthotic management and training, initial
  "97761", // prosthetic training, initial
  "97763", // orthotic / prosthetic management, subsequent
]);

/** Untimed codes: one unit per session whatever the minutes; never counted in the timed total (DOMAIN.md §2). */
export const UNTIMED_CODES: ReadonlySet<string> = new Set([
  // Evaluations and re-evaluations (PT 97161–97164, OT 97165–97168)
  "97161",
  "97162",
  "97163",
  "97164",
  "97165",
  "97166",
  "97167",
  "97168",
  // Supervised modalities
  "97010",
  "97012",
  "97014",
  "G0283",
  "97016",
  "97018",
  "97022",
  "97024",
  "97026",
  "97028",
  // Group therapy
  "97150",
  // Caregiver training in a group
  "97552",
  // Wound care and negative pressure wound therapy (per session / per area, not per time)
  "97597",
  "97598",
  "97602",
  "97605",
  "97606",
  "97607",
  "97608",
  "97610",
  // Speech-language pathology (untimed per session)
  "92507",
  "92508",
  "92521",
  "92522",
  "92523",
  "92524",
  "92526",
  "92610",
]);

/** True for a 15-minute timed code (CMS Pub. 100-04 ch. 5 §20.2); everything else is billed per session. */
export function isTimedCode(cpt: string): boolean {
  return TIMED_CODES.has(normalizeCode(cpt));
}

/** True for a code known to be untimed (one unit per session, DOMAIN.md §2). */
export function isUntimedCode(cpt: string): boolean {
  return UNTIMED_CODES.has(normalizeCode(cpt));
}

/** Normalizes a HCPCS/CPT code for lookups (trimmed, upper case). */
export function normalizeCode(cpt: string): string {
  return cpt.trim().toUpperCase();
}

export type DisciplineModifier = "GP" | "GO" | "GN";
export type AssistantModifier = "CQ" | "CO";
export type TherapistCredential = "PT" | "PTA" | "OT" | "OTA" | "SLP";
/** The two Medicare therapy threshold pools: PT and SLP combined, OT alone (DOMAIN.md §1). */
export type TherapyPool = "PT_SLP" | "OT";

export const DISCIPLINE_MODIFIERS: readonly DisciplineModifier[] = ["GP", "GO", "GN"];
export const ASSISTANT_MODIFIERS: readonly AssistantModifier[] = ["CQ", "CO"];
/** Modifiers that bypass an NCCI procedure-to-procedure edit when time is distinct and documented. */
export const NCCI_BYPASS_MODIFIERS: readonly string[] = ["59", "XE", "XS", "XP", "XU"];
/** Place-of-service codes for telehealth (02 other than home, 10 in the patient's home). */
export const TELEHEALTH_PLACES_OF_SERVICE: readonly string[] = ["02", "10"];
/** The telehealth modifier. */
export const TELEHEALTH_MODIFIER = "95";
export const KX_MODIFIER = "KX";
export const GA_MODIFIER = "GA";

/** Splits a modifier list ("GP;KX;59" or an array) into upper-case modifiers, empty ones dropped. */
export function parseModifiers(modifiers: string | readonly string[] | null | undefined): string[] {
  if (modifiers == null) return [];
  const parts = typeof modifiers === "string" ? modifiers.split(/[;,:\s]+/) : modifiers;
  return parts.map((modifier) => modifier.trim().toUpperCase()).filter((modifier) => modifier !== "");
}

/** True when the line carries the modifier. */
export function hasModifier(modifiers: readonly string[], modifier: string): boolean {
  const wanted = modifier.toUpperCase();
  return modifiers.some((m) => m.toUpperCase() === wanted);
}

/** Discipline modifiers present on a line, in the order billed. */
export function disciplineModifiersOf(modifiers: readonly string[]): DisciplineModifier[] {
  return modifiers
    .map((m) => m.toUpperCase())
    .filter((m): m is DisciplineModifier => (DISCIPLINE_MODIFIERS as readonly string[]).includes(m));
}

/** Assistant modifiers present on a line (CQ for a PTA, CO for an OTA). */
export function assistantModifiersOf(modifiers: readonly string[]): AssistantModifier[] {
  return modifiers
    .map((m) => m.toUpperCase())
    .filter((m): m is AssistantModifier => (ASSISTANT_MODIFIERS as readonly string[]).includes(m));
}

/** True when the line was furnished in whole or part by an assistant (CQ or CO): paid at 85% (DOMAIN.md §3). */
export function isAssistantLine(modifiers: readonly string[]): boolean {
  return assistantModifiersOf(modifiers).length > 0;
}

/** Threshold pool of a line from its discipline modifier: GP and GN → PT_SLP, GO → OT, none → null (DOMAIN.md §1). */
export function poolOfLine(modifiers: readonly string[]): TherapyPool | null {
  const [first] = disciplineModifiersOf(modifiers);
  if (first === undefined) return null;
  return first === "GO" ? "OT" : "PT_SLP";
}

/** Discipline modifier a therapist's credential calls for: PT/PTA → GP, OT/OTA → GO, SLP → GN (CMS Pub. 100-04 ch. 5 §20.1). */
export function expectedDisciplineModifier(credential: TherapistCredential): DisciplineModifier {
  switch (credential) {
    case "PT":
    case "PTA":
      return "GP";
    case "OT":
    case "OTA":
      return "GO";
    case "SLP":
      return "GN";
  }
}

/** Assistant modifier a credential calls for: PTA → CQ, OTA → CO, otherwise none (42 CFR 410.59/410.60, CY2020 PFS final rule). */
export function expectedAssistantModifier(credential: TherapistCredential): AssistantModifier | null {
  if (credential === "PTA") return "CQ";
  if (credential === "OTA") return "CO";
  return null;
}

/** True for an assistant credential (PTA or OTA). */
export function isAssistantCredential(credential: TherapistCredential): boolean {
  return expectedAssistantModifier(credential) !== null;
}

/** True for a recognised therapist credential string. */
export function isTherapistCredential(value: string): value is TherapistCredential {
  return value === "PT" || value === "PTA" || value === "OT" || value === "OTA" || value === "SLP";
}
