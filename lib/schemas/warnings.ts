// Values a form accepts but a person probably did not mean: said under the field as they type,
// never refused (a practice may have its reasons).
import { dollarsOf, usd, usdOfDollars } from "@/lib/ui/money";
import { thresholdsFor } from "@/lib/billing/thresholds";

/** The KX alert level in dollars as typed, against the year's KX threshold. */
export function alertLevelWarning(dollarsTyped: string, year: number): string | null {
  const dollars = Number(dollarsTyped);
  if (dollarsTyped.trim() === "" || !Number.isFinite(dollars)) return null;
  const thresholds = thresholdsFor(year);
  if (!thresholds.known) return null;
  const kx = dollarsOf(thresholds.kxThresholdCents);
  if (dollars >= kx)
    return `${usdOfDollars(dollars)} is at or above the ${year} KX threshold (${usdOfDollars(kx)}): the alert would come only once KX is already needed. The usual level is ${usd(thresholds.alertLevelCents)}.`;
  if (dollars < kx / 2)
    return `${usdOfDollars(dollars)} is less than half the ${year} KX threshold (${usdOfDollars(kx)}): most patients would be on the alert list.`;
  return null;
}

/** A contract's fixed rate per unit in dollars as typed. */
export function contractRateWarning(dollarsTyped: string): string | null {
  const dollars = Number(dollarsTyped);
  if (dollarsTyped.trim() === "" || !Number.isFinite(dollars)) return null;
  if (dollars > 0 && dollars < 1)
    return `${usdOfDollars(dollars)} a unit is unusually low: check that the rate is in dollars, not a percentage.`;
  if (dollars >= 1000) return `${usdOfDollars(dollars)} a unit is unusually high: check the decimal point.`;
  return null;
}
