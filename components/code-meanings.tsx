// The meanings of the adjustment reason and remark codes a page or letter shows, each once under
// its table rather than on every line.
import { Fragment } from "react";

export interface CodeMeaning {
  code: string;
  text: string;
}

/** The codes and their meanings as a definition list. */
export function CodeMeaningList({ codes, className = "" }: { codes: readonly CodeMeaning[]; className?: string }) {
  return (
    <dl className={`grid grid-cols-[auto_1fr] gap-x-3 ${className}`}>
      {codes.map((meaning) => (
        <Fragment key={meaning.code}>
          <dt className="font-mono">{meaning.code}</dt>
          <dd>{meaning.text}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** "What the codes on this page mean", folded: nothing when the page shows no code. */
export function CodesOnPage({ codes, className }: { codes: readonly CodeMeaning[]; className: string }) {
  if (codes.length === 0) return null;
  return (
    <details className={className}>
      <summary className="cursor-pointer">What the codes on this page mean</summary>
      <CodeMeaningList codes={codes} className="mt-1 gap-y-1" />
    </details>
  );
}
