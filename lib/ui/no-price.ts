// Lines without a price (no remit and no expected amount: an SLP code whose RVUs are not
// loaded, a year without a fee schedule): said in words wherever such a line appears, and
// never shown as $0.00 (docs/billing-rules.md, "A line without a price").

export interface MaybePriced {
  cpt: string;
  /** why the line has no price (the line's expected note), or null when it has one */
  noPrice: string | null;
}

/**
 * One sentence for lines left out of an amount because they have no price, e.g. "1 line
 * (92507) has no price and is left out of this total. No Medicare price for 92507: load the
 * CMS 2026 Physician Fee Schedule RVU file. …"; null when every line has a price.
 */
export function unpricedSentence(lines: readonly MaybePriced[], what = "this total"): string | null {
  const unpriced = lines.filter((l) => l.noPrice !== null);
  if (unpriced.length === 0) return null;
  const codes = [...new Set(unpriced.map((l) => l.cpt))].sort();
  const reasons = [...new Set(unpriced.map((l) => l.noPrice!.trim()))];
  const count = unpriced.length;
  const head = `${count} ${count === 1 ? "line" : "lines"} (${codes.join(", ")}) ${count === 1 ? "has" : "have"} no price and ${count === 1 ? "is" : "are"} left out of ${what}.`;
  return [head, ...reasons.map((r) => (/[.!?]$/.test(r) ? r : `${r}.`))].join(" ");
}
