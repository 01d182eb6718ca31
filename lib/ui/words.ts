// The users' words for values the database keeps as codes: one place, so that a screen never
// shows an enum ("ADMIN", "REMIT_835") where a person expects a word.
import { usd } from "./money";

export const ROLE_WORDS: Record<string, string> = {
  OWNER: "Owner",
  BILLER: "Biller",
  MANAGER: "Manager",
  ADMIN: "Administrator",
};

/** "Administrator" for "ADMIN"; an unknown code is shown in sentence case rather than shouted. */
export function roleInWords(role: string): string {
  return ROLE_WORDS[role] ?? sentenceCase(role);
}

/** "REMIT_835" → "Remit 835", "needs_review" → "Needs review": the fallback for a code without a word. */
export function sentenceCase(code: string): string {
  const spaced = code.replaceAll("_", " ").trim().toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Words that stay in capitals in a payer's name ("BCBS", "UHC", "PPO", "HMO", "of", "NY"). */
const KEEP_UPPER = new Set([
  "BCBS",
  "UHC",
  "HMO",
  "PPO",
  "EPO",
  "POS",
  "USA",
  "US",
  "NY",
  "NYC",
  "NJ",
  "CA",
  "TX",
  "FL",
  "MA",
  "II",
  "III",
  "IV",
  "LLC",
  "HCSC",
  "AARP",
  "CMS",
  "DME",
  "MAC",
  "TPA",
]);
const KEEP_LOWER = new Set(["of", "and", "the", "for", "in", "de"]);

/**
 * A payer name in its own case: names that came in ALL CAPS (from an 835's N1*PR) are shown in
 * title case ("UNITEDHEALTHCARE" → "Unitedhealthcare", "BLUE CROSS OF NY" → "Blue Cross of NY");
 * a name already in mixed case ("UnitedHealthcare") is left as the practice wrote it.
 */
export function nameInOwnCase(name: string): string {
  if (name !== name.toUpperCase() || !/[A-Z]/.test(name)) return name;
  return name
    .split(/(\s+|-|\/)/)
    .map((part, i) => {
      if (!/[A-Z]/.test(part)) return part;
      if (KEEP_UPPER.has(part)) return part;
      const lower = part.toLowerCase();
      if (i > 0 && KEEP_LOWER.has(lower)) return lower;
      // "(SANTA" → "(Santa": the first letter, after any opening bracket
      return lower.replace(/[a-z]/, (c) => c.toUpperCase());
    })
    .join("");
}

export const IMPORT_KIND_WORDS: Record<string, string> = {
  VISITS: "Visits",
  USAGE: "Amounts used elsewhere",
  CONTRACTS: "Contracts",
  REMIT_835: "835 remit",
  PAPER_EOB: "Paper EOB",
  FEE_SCHEDULE: "Fee schedule",
  GPCI: "GPCIs",
  MUE: "MUE caps",
  NCCI_PTP: "NCCI edits",
  THERAPY_CODES: "Therapy code list",
};

/** "Fee schedule" for a stored import's kind (`ImportJob.kind`); an unknown code in sentence case. */
export function importKindInWords(kind: string): string {
  return IMPORT_KIND_WORDS[kind] ?? sentenceCase(kind);
}

/**
 * A stored import's status (`ImportJob.status`, the import histories) in words. The answer to an
 * upload, which also knows a dry run and a file held for confirmation, has its own words:
 * UPLOAD_ANSWER_STATUS_WORDS in import-summary.ts.
 */
export const IMPORT_JOB_STATUS_WORDS: Record<string, string> = {
  RUNNING: "Importing…",
  IMPORTED: "Imported",
  DUPLICATE: "Already imported",
  REJECTED: "Refused",
};

/** "Imported" for IMPORTED; an unknown code in sentence case, never shouted. */
export function importJobStatusInWords(status: string): string {
  return IMPORT_JOB_STATUS_WORDS[status] ?? sentenceCase(status);
}

/** [one, many] */
const COUNT_WORDS: Record<string, [string, string]> = {
  transactions: ["payment", "payments"],
  claims: ["claim", "claims"],
  serviceLines: ["service line", "service lines"],
  matchedClaims: ["claim matched to ours", "claims matched to ours"],
  visits: ["visit", "visits"],
  lines: ["line", "lines"],
  rows: ["row", "rows"],
  patients: ["patient", "patients"],
  payers: ["payer", "payers"],
  contracts: ["contract", "contracts"],
  rates: ["rate", "rates"],
  payersCreated: ["payer added", "payers added"],
};

/**
 * An import's counts in words: {"claims": 2, "paidCents": 149998} → "2 claims, $1,499.98 paid".
 * Amounts kept in cents are shown in dollars; an unknown count is named from its key in words.
 */
export function countsInWords(counts: Record<string, unknown> | null | undefined): string {
  if (!counts) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(counts)) {
    if (typeof value !== "number") continue;
    if (/Cents$/.test(key)) {
      const what = key
        .replace(/Cents$/, "")
        .replace(/([A-Z])/g, " $1")
        .toLowerCase();
      parts.push(`${usd(value)} ${what}`);
      continue;
    }
    const named = COUNT_WORDS[key];
    const word = named ? named[value === 1 ? 0 : 1] : key.replace(/([A-Z])/g, " $1").toLowerCase();
    parts.push(`${value.toLocaleString("en-US")} ${word}`);
  }
  return parts.join(", ");
}

const PAYMENT_METHOD_WORDS: Record<string, string> = {
  CHK: "Check",
  ACH: "Direct deposit (ACH)",
  BOP: "Financial institution option",
  FWT: "Wire transfer",
  NON: "No payment (nothing sent)",
};

/** How a payer sent the money, in words (the 835's payment method code kept for technical details). */
export function paymentMethodInWords(method: string | null | undefined): string {
  if (!method) return "—";
  return PAYMENT_METHOD_WORDS[method.toUpperCase()] ?? method;
}

/** An undercoding candidate's reading of its note, in words. */
export const DIRECTION_LABEL = {
  could_be_97530: "Could be 97530",
  reads_as_exercise: "97530 reads as exercise",
} as const;
