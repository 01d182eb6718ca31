// Small shared pieces of the patient and visit screens.
const FLAG_STYLE: Record<string, string> = {
  over: "bg-red-100 text-red-800",
  under: "bg-amber-100 text-amber-800",
  ok: "bg-green-100 text-green-800",
};

export function UnitsFlagBadge({ flag }: { flag: string | null }) {
  if (!flag) return <span className="text-slate-500">—</span>;
  const title =
    flag === "over"
      ? "more units billed than the minutes support"
      : flag === "under"
        ? "fewer units billed than the minutes support"
        : "units billed match the minutes";
  return (
    <span className={`badge ${FLAG_STYLE[flag] ?? ""}`} title={title}>
      {flag}
    </span>
  );
}
