// Denials by root cause (DOMAIN.md §5): the CARC that says why a line was not paid, mapped
// to the cause a biller can fix, with the fix. Pure: no database.

export const DENIAL_CAUSES = [
  "missing_kx",
  "patient_liable",
  "modifier",
  "bundled",
  "units",
  "necessity",
  "timely",
  "duplicate",
  "other",
] as const;
export type DenialCause = (typeof DENIAL_CAUSES)[number];

/** CARC → cause, in the order the causes are checked when a line carries several. */
export const CAUSE_BY_CARC: readonly [string, DenialCause][] = [
  ["119", "missing_kx"],
  ["4", "modifier"],
  ["97", "bundled"],
  ["151", "units"],
  ["50", "necessity"],
  ["29", "timely"],
  ["18", "duplicate"],
];

export const DENIAL_CAUSE_INFO: Record<DenialCause, { label: string; carc: string; fix: string }> = {
  missing_kx: {
    label: "Missing KX (therapy threshold)",
    carc: "CO-119 / PR-119 without GA",
    fix: "Add KX to the line (and to every later line of the year) when the documentation supports medical necessity, or bill with GA when an ABN was signed; then resubmit.",
  },
  patient_liable: {
    label: "Patient liable under ABN",
    carc: "PR-119 with GA",
    fix: "Bill the patient: an ABN is on file (GA on the line), so the patient owes the line. Nothing to rebill to Medicare.",
  },
  modifier: {
    label: "Missing or wrong discipline modifier",
    carc: "CARC 4",
    fix: "Put GP (PT), GO (OT) or GN (SLP) matching the therapist's discipline on the line, and CQ/CO when an assistant furnished it; then resubmit.",
  },
  bundled: {
    label: "Bundled (NCCI pair)",
    carc: "CO-97",
    fix: "Add modifier 59 or XE/XS/XP/XU to the column-2 code when the documentation shows distinct, separately timed services; otherwise the bundle stands.",
  },
  units: {
    label: "Units or frequency",
    carc: "CARC 151",
    fix: "Check the units against the 8-minute rule, the payer's unit cap and the MUE; correct the units or appeal with the timed minutes documented.",
  },
  necessity: {
    label: "Medical necessity",
    carc: "CARC 50",
    fix: "Send documentation of medical necessity (plan of care, measurable progress, functional goals) with a reconsideration request.",
  },
  timely: {
    label: "Timely filing",
    carc: "CARC 29",
    fix: "Find proof of timely filing (clearinghouse acceptance report) and appeal with it; otherwise write off and fix the filing lag.",
  },
  duplicate: {
    label: "Duplicate claim",
    carc: "CARC 18",
    fix: "Check whether the original claim was paid; if the service is distinct, correct the claim (frequency code 7, modifiers 76/59) instead of resending it.",
  },
  other: {
    label: "Other",
    carc: "other CARC",
    fix: "Read the CARC/RARC text on the remit and correct or appeal the claim accordingly.",
  },
};

export interface AdjustmentLike {
  group: string;
  reason: string;
  amountCents: number;
}

/**
 * The root cause of a denied line: the first denial CARC (in the order of DENIAL_CAUSES) with a
 * positive amount; "other" when nothing was paid or allowed for a line with a charge and no
 * such CARC explains it (a line whose allowed amount went to the patient is not a denial).
 * PR-119 on a line billed with GA is "patient_liable": an ABN is on file and the patient owes the
 * line (DOMAIN.md §5, "PR-119 with GA"); it is not a KX rebill. PR-119 without GA stays
 * "missing_kx": without an ABN the patient cannot be billed (docs/billing-rules.md §8).
 */
export function denialCauseOf(line: {
  chargeCents: number;
  paidCents: number;
  modifiers?: readonly string[];
  adjustments: readonly AdjustmentLike[];
}): DenialCause | null {
  if (line.chargeCents < 0 || line.paidCents < 0) return null; // a reversal is not a denial
  const hasGa = (line.modifiers ?? []).some((m) => m.toUpperCase() === "GA");
  if (line.adjustments.some((a) => a.reason === "119" && a.amountCents > 0 && a.group === "PR" && hasGa)) return "patient_liable";
  for (const [carc, cause] of CAUSE_BY_CARC) {
    if (line.adjustments.some((a) => a.reason === carc && a.amountCents > 0)) return cause;
  }
  if (line.paidCents === 0 && line.chargeCents > 0) {
    const patientOwes = line.adjustments.some((a) => a.group === "PR" && a.amountCents > 0);
    if (!patientOwes) return "other";
  }
  return null;
}

export function isDenialCause(value: string): value is DenialCause {
  return (DENIAL_CAUSES as readonly string[]).includes(value);
}
