// Formatting at the edge for the remit, underpayment and denial pages: integer cents in,
// US dollars out.
const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function usd(cents: number | null | undefined): string {
  return cents == null ? "—" : USD.format(cents / 100);
}

export function modifiersText(modifiers: readonly string[]): string {
  return modifiers.length ? modifiers.join(" ") : "";
}
