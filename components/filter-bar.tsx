// The one filter bar of the list pages: a GET form (it works before the page's script has
// loaded, and the filters land in the URL, so a view can be shared and "Download CSV" follows
// it), the fields the list needs, Apply and Clear. Applying a filter starts again at page 1:
// the form does not carry `page`. `keep` carries values that are not fields (the sort).
import type { ReactNode } from "react";
import Link from "@/components/link";

export function FilterBar({
  action,
  keep = {},
  children,
  clearHref,
  label = "Filters",
  footnote,
}: {
  action: string;
  keep?: Record<string, string | number | undefined | null>;
  children: ReactNode;
  /** "Clear" (the list without filters); none when the list has nothing to clear */
  clearHref?: string;
  label?: string;
  /** a line under the fields (the period's rules, what the figures are) */
  footnote?: ReactNode;
}) {
  return (
    <form method="get" action={action} className="card flex flex-wrap items-end gap-3" aria-label={label}>
      {Object.entries(keep).map(([name, value]) =>
        value === undefined || value === null || value === "" ? null : <input key={name} type="hidden" name={name} value={String(value)} />,
      )}
      {children}
      <button type="submit" className="btn">
        Apply
      </button>
      {clearHref ? (
        <Link href={clearHref} className="text-sm">
          Clear
        </Link>
      ) : null}
      {footnote ? <p className="w-full text-xs text-slate-600">{footnote}</p> : null}
    </form>
  );
}

/** One choice list of a filter bar: its label, and the choices with the one in force. */
export function FilterSelect({
  id,
  name,
  label,
  value,
  choices,
}: {
  id: string;
  name: string;
  label: string;
  value: string | number;
  choices: readonly { value: string | number; label: string }[];
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} className="input" defaultValue={value}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
