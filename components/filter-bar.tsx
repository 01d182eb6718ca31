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
}: {
  action: string;
  keep?: Record<string, string | number | undefined | null>;
  children: ReactNode;
  /** "Clear" (the list without filters); none when the list has nothing to clear */
  clearHref?: string;
  label?: string;
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
    </form>
  );
}

/** A labelled select of the filter bar; the first option is "no filter". */
export function FilterSelect({
  id,
  name,
  label,
  value,
  options,
  none,
}: {
  id: string;
  name: string;
  label: string;
  value: string | number | undefined | null;
  options: readonly { value: string | number; label: string }[];
  /** the words of "no filter" ("All", "Any"); omit when a value is always chosen */
  none?: string;
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} className="input" defaultValue={value === undefined || value === null ? "" : String(value)}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((o) => (
          <option key={String(o.value)} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled date field of the filter bar (YYYY-MM-DD in the URL). */
export function FilterDate({
  id,
  name,
  label,
  value,
  min,
  max,
}: {
  id: string;
  name: string;
  label: string;
  value?: string;
  min?: string;
  max?: string;
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <input id={id} name={name} type="date" className="input" defaultValue={value ?? ""} min={min} max={max} />
    </div>
  );
}
