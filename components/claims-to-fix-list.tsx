"use client";
// The visits of a page of claims to fix with what is wrong on each, drawn from plain figures the
// page has already put in words. The checks' sentences repeat across visits (the same code,
// modifier and credential on line 1 of many visits), so the page's data carries each distinct
// sentence once and each issue as its number: the page of 50 visits was 233 KB of HTML at a
// million visits, two thirds of it the sentences and their cells written twice.
import Link from "./link";

export interface ClaimToFixView {
  visitId: number;
  /** "Mar 2, 2026 · visit V1" */
  visit: string;
  patientId: number;
  /** "Walker, Ann (P1)" */
  patient: string;
  payer: string;
  therapist: string;
  claim: string;
  /** "1: 97110-GP, 2: 97140-GP" */
  lines: string;
  /** each issue as [severity: 0 fix, 1 check; its check's label (index in `labels`); its sentence (index in `messages`)] */
  issues: [number, number, number][];
}

const SEVERITY = [
  { label: "Fix", className: "badge h-fit bg-red-100 text-red-800" },
  { label: "Check", className: "badge h-fit bg-amber-100 text-amber-800" },
] as const;

export function ClaimsToFixList({ visits, labels, messages }: { visits: ClaimToFixView[]; labels: string[]; messages: string[] }) {
  return (
    <ul className="space-y-3">
      {visits.map((row) => (
        <li key={row.visitId} className="card">
          <div className="mb-2 flex flex-wrap items-baseline gap-x-3 text-sm">
            <Link href={`/visits/${row.visitId}`} className="font-semibold">
              {row.visit}
            </Link>
            <Link href={`/patients/${row.patientId}`}>{row.patient}</Link>
            <span>{row.payer}</span>
            <span>{row.therapist}</span>
            <span>claim {row.claim}</span>
            <span className="text-slate-500">{row.lines}</span>
          </div>
          <ul className="space-y-2 text-sm">
            {row.issues.map(([severity, label, message], i) => (
              <li key={i} className="flex gap-2">
                <span className={SEVERITY[severity]!.className}>{SEVERITY[severity]!.label}</span>
                <span>
                  <span className="font-medium">{labels[label]}</span>
                  {" · "}
                  {messages[message]}
                </span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
