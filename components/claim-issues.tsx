// The claim checks of a visit: what is wrong on which line and how to fix it.
import type { ClaimIssue } from "@/lib/billing";

const SEVERITY = {
  error: { label: "Fix", className: "bg-red-100 text-red-800" },
  warning: { label: "Check", className: "bg-amber-100 text-amber-800" },
} as const;

export function ClaimIssueList({ issues, labelOf }: { issues: ClaimIssue[]; labelOf: (code: ClaimIssue["code"]) => string }) {
  if (issues.length === 0) return <p className="text-sm text-green-800">No issues found: the claim passes every check.</p>;
  return (
    <ul className="space-y-2 text-sm">
      {issues.map((issue, i) => (
        <li key={`${issue.code}-${issue.lineIndex}-${i}`} className="flex gap-2">
          <span className={`badge h-fit ${SEVERITY[issue.severity].className}`}>{SEVERITY[issue.severity].label}</span>
          <span>
            <span className="font-medium">{labelOf(issue.code)}</span>
            {" · "}
            {issue.message}
          </span>
        </li>
      ))}
    </ul>
  );
}
