// The owner's headline figures of the example practice, worked out from its files alone
// (e2e/fixtures/example-practice: the visits, the expected per-line figures and the two 835
// files), never from the app's code: the e2e test compares the screen with these.
import fs from "node:fs";
import path from "node:path";

const dir = path.resolve("e2e/fixtures/example-practice");

function csv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(path.join(dir, file), "utf8").trim().split(/\r?\n/);
  const keys = header!.split(",");
  // the files quote nothing but the notes, which come last in visits.csv: split the first fields only
  return lines.map((line) => {
    const parts = line.split(",");
    const row: Record<string, string> = {};
    keys.forEach((k, i) => {
      row[k] = i === keys.length - 1 ? parts.slice(i).join(",") : (parts[i] ?? "");
    });
    return row;
  });
}

/** "12.34" → 1234 (the files' dollars have two decimals) */
const cents = (dollars: string) => Math.round(Number(dollars) * 100);

function days(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** The 835 segments of a file, split at "~" and "*". */
function segments(file: string): string[][] {
  return fs
    .readFileSync(path.join(dir, file), "utf8")
    .split("~")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split("*"));
}

/** CLP02 statuses that settle a claim (processed, denied, forwarded, not ours): DOMAIN.md / docs/metrics.md. */
const FINAL = new Set(["1", "2", "3", "4", "19", "20", "21", "23"]);

export interface OwnerExpected {
  /** Σ potential gain of the could_be_97530 lines of expected-undercoding.csv served from `from` to `to` */
  undercodingCents: (from: string, to: string) => number;
  /** Σ variance of the underpaid lines of expected-underpayments-united.csv (variance > 0) */
  underpaidUnitedCents: number;
  underpaidUnitedLines: number;
  /** the CO-119 lines of remit-medicare.835, valued at their expected allowed (expected-visits-export.csv) */
  kxDeniedCents: number;
  kxDeniedLines: number;
  /** lines with an expected allowed amount, served more than 90 days before `today`, whose claim no 835 settles */
  arOver90: (today: string) => { cents: number; lines: number };
}

export function ownerExpected(): OwnerExpected {
  const visits = csv("visits.csv");
  const dateOfVisit = new Map(visits.map((v) => [v.visit_id!, v.date_of_service!]));
  const expectedLines = csv("expected-visits-export.csv");
  const undercoding = csv("expected-undercoding.csv").filter((r) => r.direction === "could_be_97530");
  const underpaid = csv("expected-underpayments-united.csv").filter((r) => cents(r.variance!) > 0);

  // claims settled by a final CLP02 in either 835 (both are paid on 2026-12-01, before any run of the test)
  const settled = new Set<string>();
  for (const file of ["remit-medicare.835", "remit-united.835"]) {
    for (const s of segments(file)) if (s[0] === "CLP" && FINAL.has(s[2]!)) settled.add(s[1]!);
  }

  // CO-119 denied lines: the SVC whose CAS carries reason 119, by claim and code
  const expectedOf = new Map(expectedLines.map((l) => [`${l.claim_id}|${l.cpt}`, l.expected_allowed!]));
  let kxDeniedCents = 0;
  let kxDeniedLines = 0;
  let claim = "";
  let cpt = "";
  for (const s of segments("remit-medicare.835")) {
    if (s[0] === "CLP") claim = s[1]!;
    if (s[0] === "SVC") cpt = s[1]!.split(":")[1]!;
    if (s[0] === "CAS" && s[2] === "119") {
      kxDeniedLines += 1;
      kxDeniedCents += cents(expectedOf.get(`${claim}|${cpt}`) ?? "0");
    }
  }

  return {
    undercodingCents: (from, to) =>
      undercoding
        .filter((r) => {
          const dos = dateOfVisit.get(r.visit_id!)!;
          return dos >= from && dos <= to;
        })
        .reduce((sum, r) => sum + cents(r.potential_gain!), 0),
    underpaidUnitedCents: underpaid.reduce((sum, r) => sum + cents(r.variance!), 0),
    underpaidUnitedLines: underpaid.length,
    kxDeniedCents,
    kxDeniedLines,
    arOver90: (today) => {
      const open = expectedLines.filter(
        (l) => l.expected_allowed !== "" && !settled.has(l.claim_id!) && days(dateOfVisit.get(l.visit_id!)!, today) > 90,
      );
      return { cents: open.reduce((sum, l) => sum + cents(l.expected_allowed!), 0), lines: open.length };
    },
  };
}
