// Modifiers as the remit, underpayment and denial pages show them (money: lib/ui/money.ts).
export function modifiersText(modifiers: readonly string[]): string {
  return modifiers.length ? modifiers.join(" ") : "";
}
