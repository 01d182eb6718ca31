// Whose money is this? An 835 names its payee (N1*PE: the NPI, or the tax id, or both); a file
// paid to another provider is not the practice's to import. Pure: no database.

export interface PracticeIds {
  npi: string | null;
  taxId: string | null;
}

export interface PayeeIds {
  name: string | null;
  npi: string | null;
  taxId: string | null;
}

/** Digits only: a tax id is written "12-3456789" as often as "123456789". */
function digits(value: string | null | undefined): string {
  return (value ?? "").replace(/\D/g, "");
}

/**
 * Whether the payee of a payment is another provider than the practice: an identifier the file
 * gives (NPI or tax id) differs from the same identifier in the practice's settings. Unknown
 * (null) when neither side has an identifier the other has: nothing to compare.
 */
export function payeeIsAnotherProvider(payee: PayeeIds | null, practice: PracticeIds): boolean | null {
  if (!payee) return null;
  const compared: boolean[] = [];
  if (digits(payee.npi) && digits(practice.npi)) compared.push(digits(payee.npi) !== digits(practice.npi));
  if (digits(payee.taxId) && digits(practice.taxId)) compared.push(digits(payee.taxId) !== digits(practice.taxId));
  if (compared.length === 0) return null;
  return compared.some((different) => different);
}

/** "ACME MEDICAL CENTER (NPI 5544667733, tax id 777667755)" */
export function payeeInWords(payee: PayeeIds): string {
  const ids = [payee.npi ? `NPI ${payee.npi}` : null, payee.taxId ? `tax id ${payee.taxId}` : null].filter(Boolean);
  return `${payee.name?.trim() || "a payee not named"}${ids.length ? ` (${ids.join(", ")})` : ""}`;
}

/** "NPI 1999999998, tax id 12-3456789" of the practice's settings, or null when none is set. */
export function practiceIdsInWords(practice: PracticeIds): string | null {
  const ids = [practice.npi ? `NPI ${practice.npi}` : null, practice.taxId ? `tax id ${practice.taxId}` : null].filter(Boolean);
  return ids.length ? ids.join(", ") : null;
}
