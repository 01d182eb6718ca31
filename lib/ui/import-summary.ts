// An import's summary in the users' words: "$1,499.98 paid on 2 claims; 2 claims are not ours:
// check the payee", never "paidCents: 149998 · matchedClaims: 0". The command line keeps the
// JSON counts of FORMATS.md; the upload form shows these sentences. Pure: no database.
import { usd } from "./money";

const COUNT = new Intl.NumberFormat("en-US");

function count(n: number, one: string, many: string): string {
  return `${COUNT.format(n)} ${n === 1 ? one : many}`;
}

/** The counts of a CSV or reference import, each with its word (unknown keys split into words). */
const COUNT_WORDS: Record<string, [string, string]> = {
  rows: ["row", "rows"],
  patients: ["patient", "patients"],
  visits: ["visit", "visits"],
  lines: ["line", "lines"],
  serviceLines: ["service line", "service lines"],
  contracts: ["contract", "contracts"],
  rates: ["rate", "rates"],
  payersCreated: ["payer created", "payers created"],
  visitsRepriced: ["visit re-priced", "visits re-priced"],
  added: ["added", "added"],
  changed: ["changed", "changed"],
  unchanged: ["unchanged", "unchanged"],
  removed: ["removed", "removed"],
  skipped: ["skipped", "skipped"],
  transactions: ["payment", "payments"],
};

function keyInWords(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

export interface RemitImportCounts {
  claims: number;
  serviceLines?: number;
  paidCents: number;
  matchedClaims?: number;
}

function isRemitCounts(counts: Record<string, number>): counts is Record<string, number> & RemitImportCounts {
  return typeof counts.paidCents === "number" && typeof counts.claims === "number";
}

/**
 * An 835's summary: the dollars paid on its claims (Σ CLP04), then whose claims they are.
 * "$1,499.98 paid on 2 claims; 2 claims are not ours: check the payee".
 */
export function remitImportInWords(counts: RemitImportCounts): string {
  const paid = `${usd(counts.paidCents)} paid on ${count(counts.claims, "claim", "claims")}`;
  if (counts.claims === 0 || counts.matchedClaims === undefined) return paid;
  const notOurs = counts.claims - counts.matchedClaims;
  if (notOurs === 0) return `${paid}, all matched to ours`;
  if (counts.matchedClaims === 0) return `${paid}; ${count(notOurs, "claim is", "claims are")} not ours: check the payee`;
  return `${paid}; ${count(notOurs, "claim is", "claims are")} not matched to ours: they wait in the unmatched remits`;
}

/** Any import's counts in words: an 835's sentence, or "12 rows · 3 patients". */
export function importCountsInWords(counts: Record<string, number>): string {
  if (isRemitCounts(counts)) return remitImportInWords(counts);
  return Object.entries(counts)
    .map(([key, n]) => {
      const words = COUNT_WORDS[key];
      return words ? count(n, words[0], words[1]) : `${keyInWords(key)}: ${COUNT.format(n)}`;
    })
    .join(" · ");
}

/**
 * The status of the answer to an upload (ImportResult.status of lib/server/imports/run.ts, and
 * the form's own "not-imported" when a person declines a file held for confirmation) as a person
 * says it. A stored import's status in the histories has its words in words.ts
 * (IMPORT_JOB_STATUS_WORDS).
 */
export const UPLOAD_ANSWER_STATUS_WORDS: Record<string, string> = {
  imported: "imported",
  duplicate: "already imported: nothing changed",
  rejected: "rejected: nothing written",
  "dry-run": "checked: nothing written",
  unconfirmed: "waiting for your confirmation: nothing written yet",
  "not-imported": "not imported: nothing written",
};
