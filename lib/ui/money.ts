// The one money formatter of the screens, the letters and the messages: amounts are integer
// cents everywhere and become dollars only here, at the edge (docs/architecture.md "Money").
import { formatDollars } from "@/lib/billing/money";
const DOLLARS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const WHOLE_DOLLARS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** 123456 → "$1,234.56"; no amount → "—". */
export function usd(cents: number | null | undefined): string {
  return cents == null ? "—" : DOLLARS.format(cents / 100);
}

/** 123456 → "$1,235" (a chart's labels, where cents are noise). */
export function usdWhole(cents: number | null | undefined): string {
  return cents == null ? "—" : WHOLE_DOLLARS.format(cents / 100);
}

/** A level a practice sets: 248000 → "$2,480", 248050 → "$2,480.50". */
export function usdLevel(cents: number): string {
  return cents % 100 === 0 ? usdWhole(cents) : usd(cents);
}

/** Dollars a chart holds (recharts is fed plain dollars) back in words: 1234.5 → "$1,234.50". */
export function usdOfDollars(dollars: number, style: "exact" | "whole" = "exact"): string {
  return (style === "whole" ? WHOLE_DOLLARS : DOLLARS).format(dollars);
}

/** A chart axis' dollar tick (plain dollars): "$0", "$500", "$5K", "$1.5K", "$2M", "−$5K". */
export function usdTick(dollars: number): string {
  const abs = Math.abs(dollars);
  const sign = dollars < 0 ? "−" : "";
  const trim = (n: number) => Number(n.toFixed(2)).toString();
  if (abs >= 1_000_000) return `${sign}$${trim(abs / 1_000_000)}M`;
  if (abs >= 1_000) return `${sign}$${trim(abs / 1_000)}K`;
  return `${sign}$${trim(abs)}`;
}

/** Cents as the dollars a form field holds: 123456 → "1234.56", -5 → "-0.05" (no $, no commas). */
export function dollarsField(cents: number | null | undefined): string {
  return cents == null ? "" : formatDollars(cents);
}

/** Cents as plain dollars for a chart's data: 123456 → 1234.56. */
export function dollarsOf(cents: number): number {
  return cents / 100;
}
