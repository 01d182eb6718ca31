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

/** One 835 service line: its claim, code, date of service, allowed amount (AMT*B6) and CAS reasons. */
interface RemitService {
  file: string;
  claim: string;
  cpt: string;
  date: string;
  allowedCents: number | null;
  reasons: string[];
}

function remitServices(file: string): RemitService[] {
  const out: RemitService[] = [];
  let claim = "";
  for (const s of segments(file)) {
    const current = out[out.length - 1];
    if (s[0] === "CLP") claim = s[1]!;
    else if (s[0] === "SVC") out.push({ file, claim, cpt: s[1]!.split(":")[1]!, date: "", allowedCents: null, reasons: [] });
    else if (current && s[0] === "DTM" && s[1] === "472") current.date = `${s[2]!.slice(0, 4)}-${s[2]!.slice(4, 6)}-${s[2]!.slice(6, 8)}`;
    else if (current && s[0] === "AMT" && s[1] === "B6") current.allowedCents = cents(s[2]!);
    else if (current && s[0] === "CAS") for (let i = 2; i < s.length; i += 3) if (s[i]) current.reasons.push(s[i]!);
  }
  return out;
}

export interface OwnerExpected {
  /** Σ potential gain of the could_be_97530 lines of expected-undercoding.csv served from `from` to `to` */
  undercodingCents: (from: string, to: string) => number;
  /** Σ (expected allowed − allowed) of the remit lines paid below expected (not denied), served from … to */
  underpaid: (from: string, to: string) => { cents: number; lines: number };
  /** the same from expected-underpayments-united.csv alone (variance > 0), to check the 835 arithmetic */
  underpaidUnitedCents: number;
  /** the lines denied CO-119 (missing KX), valued at their expected allowed (expected-visits-export.csv) */
  kxDenied: (from: string, to: string) => { cents: number; lines: number };
  /** lines with an expected allowed amount, served more than 90 days before `today`, whose claim no 835 settles */
  arOver90: (today: string) => { cents: number; lines: number };
  /** the lines of `arOver90` at every age: days from the date of service to `today`, expected allowed */
  openLines: (today: string) => { dos: string; age: number; cents: number }[];
  /** the largest variance of expected-underpayments-united.csv */
  largestUnitedVarianceCents: number;
  /** expected allowed and 97530 / 97110 units by therapist name, served from … to */
  expectedByTherapist: (from: string, to: string) => { expected: Record<string, number>; units: Record<string, [number, number]> };
  /** the latest date of service paid or denied in an 835 */
  latestRemitService: string;
  /** every date of service of visits.csv */
  visitDates: string[];
}

export function ownerExpected(): OwnerExpected {
  const visits = csv("visits.csv");
  const dateOfVisit = new Map(visits.map((v) => [v.visit_id!, v.date_of_service!]));
  const expectedLines = csv("expected-visits-export.csv");
  const undercoding = csv("expected-undercoding.csv").filter((r) => r.direction === "could_be_97530");
  const unitedUnderpaid = csv("expected-underpayments-united.csv").filter((r) => cents(r.variance!) > 0);

  const services = [...remitServices("remit-medicare.835"), ...remitServices("remit-united.835")];
  // claims settled by a final CLP02 in either 835 (both are paid on 2026-12-01, before any run of the test)
  const settled = new Set<string>();
  for (const file of ["remit-medicare.835", "remit-united.835"]) {
    for (const s of segments(file)) if (s[0] === "CLP" && FINAL.has(s[2]!)) settled.add(s[1]!);
  }
  // a claim never bills one code twice in these files: claim + code names the line
  const expectedOf = new Map(expectedLines.map((l) => [`${l.claim_id}|${l.cpt}`, cents(l.expected_allowed!)]));
  const expected = (r: RemitService) => expectedOf.get(`${r.claim}|${r.cpt}`) ?? 0;
  const within = (date: string, from: string, to: string) => date >= from && date <= to;
  const sum = (rows: RemitService[], value: (r: RemitService) => number) => ({
    cents: rows.reduce((total, r) => total + value(r), 0),
    lines: rows.length,
  });

  const openLines = (today: string) =>
    expectedLines
      .filter((l) => l.expected_allowed !== "" && !settled.has(l.claim_id!) && dateOfVisit.get(l.visit_id!)! <= today)
      .map((l) => {
        const dos = dateOfVisit.get(l.visit_id!)!;
        return { dos, age: days(dos, today), cents: cents(l.expected_allowed!) };
      });

  return {
    undercodingCents: (from, to) =>
      undercoding.filter((r) => within(dateOfVisit.get(r.visit_id!)!, from, to)).reduce((total, r) => total + cents(r.potential_gain!), 0),
    underpaid: (from, to) =>
      sum(
        services.filter(
          (r) => within(r.date, from, to) && !r.reasons.includes("119") && r.allowedCents !== null && expected(r) > r.allowedCents,
        ),
        (r) => expected(r) - r.allowedCents!,
      ),
    underpaidUnitedCents: unitedUnderpaid.reduce((total, r) => total + cents(r.variance!), 0),
    kxDenied: (from, to) =>
      sum(
        services.filter((r) => within(r.date, from, to) && r.reasons.includes("119")),
        expected,
      ),
    arOver90: (today) => {
      const open = openLines(today).filter((l) => l.age > 90);
      return { cents: open.reduce((total, l) => total + l.cents, 0), lines: open.length };
    },
    openLines,
    largestUnitedVarianceCents: Math.max(...unitedUnderpaid.map((r) => cents(r.variance!))),
    expectedByTherapist: (from, to) => {
      const expectedTotal: Record<string, number> = {};
      const units: Record<string, [number, number]> = {};
      const therapistOf = new Map(visits.map((v) => [v.visit_id!, v.therapist_name!]));
      for (const l of expectedLines) {
        if (!within(dateOfVisit.get(l.visit_id!)!, from, to)) continue;
        const name = therapistOf.get(l.visit_id!)!;
        expectedTotal[name] = (expectedTotal[name] ?? 0) + (l.expected_allowed ? cents(l.expected_allowed) : 0);
      }
      for (const v of visits) {
        if (!within(v.date_of_service!, from, to)) continue;
        const u = units[v.therapist_name!] ?? [0, 0];
        units[v.therapist_name!] = u;
        if (v.cpt === "97530") u[0] += Number(v.units_billed);
        if (v.cpt === "97110") u[1] += Number(v.units_billed);
      }
      return { expected: expectedTotal, units };
    },
    latestRemitService:
      services
        .map((r) => r.date)
        .sort()
        .at(-1) ?? "",
    visitDates: visits.map((v) => v.date_of_service!),
  };
}
