// Values a form accepts but a person probably did not mean: said under the field as they type,
// never refused (a practice may have its reasons).
import { thresholdsFor } from "@/lib/billing/thresholds";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** The KX alert level in dollars as typed, against the year's KX threshold. */
export function alertLevelWarning(dollarsTyped: string, year: number): string | null {
  const dollars = Number(dollarsTyped);
  if (dollarsTyped.trim() === "" || !Number.isFinite(dollars)) return null;
  const t = thresholdsFor(year);
  if (!t.known) return null;
  const kx = t.kxThresholdCents / 100;
  if (dollars >= kx)
    return `${usd.format(dollars)} is at or above the ${year} KX threshold (${usd.format(kx)}): the alert would come only once KX is already needed. The usual level is ${usd.format(t.alertLevelCents / 100)}.`;
  if (dollars < kx / 2)
    return `${usd.format(dollars)} is less than half the ${year} KX threshold (${usd.format(kx)}): most patients would be on the alert list.`;
  return null;
}

/** A contract's fixed rate per unit in dollars as typed. */
export function contractRateWarning(dollarsTyped: string): string | null {
  const dollars = Number(dollarsTyped);
  if (dollarsTyped.trim() === "" || !Number.isFinite(dollars)) return null;
  if (dollars > 0 && dollars < 1)
    return `${usd.format(dollars)} a unit is unusually low: check that the rate is in dollars, not a percentage.`;
  if (dollars >= 1000) return `${usd.format(dollars)} a unit is unusually high: check the decimal point.`;
  return null;
}
