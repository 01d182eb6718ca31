// Exact decimal arithmetic for the few places where money is computed from decimals
// (RVUs, GPCIs, conversion factors, percentages). Floating point would make a unit
// price such as 34.455 dollars land on either side of the half cent; scaled BigInt
// arithmetic makes every figure reproducible to the cent (DOMAIN.md §3 "Rounding").

/** An exact decimal: value = units / 10^scale. */
export interface ExactDecimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Parses a decimal given as a number or a plain decimal string into an exact decimal. */
export function exactDecimal(value: number | string): ExactDecimal {
  let text = typeof value === "number" ? numberToPlainString(value) : value.trim();
  if (!/^[-+]?\d*(\.\d*)?$/.test(text) || text === "" || text === "." || text === "-" || text === "+") {
    throw new Error(`not a decimal number: ${String(value)}`);
  }
  let negative = false;
  if (text.startsWith("-") || text.startsWith("+")) {
    negative = text.startsWith("-");
    text = text.slice(1);
  }
  const [whole = "", fraction = ""] = text.split(".");
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, "") || "0";
  const units = BigInt(digits);
  return { units: negative ? -units : units, scale: fraction.length };
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent notation (e.g. 1e-7): expand without going through binary rounding.
  const [mantissa = "0", exponentText = "0"] = text.toLowerCase().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const [whole = "", fraction = ""] = mantissa.replace("-", "").split(".");
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + "0".repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

/** Product of exact decimals. */
export function multiplyExact(...factors: ExactDecimal[]): ExactDecimal {
  let units = 1n;
  let scale = 0;
  for (const factor of factors) {
    units *= factor.units;
    scale += factor.scale;
  }
  return { units, scale };
}

/** Sum of exact decimals. */
export function addExact(...terms: ExactDecimal[]): ExactDecimal {
  const scale = Math.max(0, ...terms.map((term) => term.scale));
  let units = 0n;
  for (const term of terms) units += term.units * 10n ** BigInt(scale - term.scale);
  return { units, scale };
}

/** Rounds numerator / denominator half-up (half away from zero) to an integer. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new Error("division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** Rounds an exact dollar amount half-up to integer cents (DOMAIN.md §3 "Rounding"). */
export function dollarsToCentsHalfUp(dollars: ExactDecimal): number {
  // cents = dollars × 100 = units × 100 / 10^scale
  return Number(divideRoundHalfUp(dollars.units * 100n, 10n ** BigInt(dollars.scale)));
}

/** Applies a percentage (e.g. 85, 110, 112.5) to an amount in cents, rounded half-up to cents. */
export function percentOfCents(amountCents: number, percent: number | string): number {
  const pct = exactDecimal(percent);
  // amount × pct / 100, with pct = units / 10^scale
  return Number(divideRoundHalfUp(BigInt(amountCents) * pct.units, 100n * 10n ** BigInt(pct.scale)));
}

/** Multiplies an amount in cents by the ratio numerator/denominator, rounded half-up to cents. */
export function scaleCents(amountCents: number, numerator: number, denominator: number): number {
  return Number(divideRoundHalfUp(BigInt(amountCents) * BigInt(numerator), BigInt(denominator)));
}

/** Formats integer cents as dollars with two decimals (e.g. 7949 → "79.49"), for messages. */
export function formatDollars(cents: number): string {
  const negative = cents < 0;
  const magnitude = Math.abs(Math.trunc(cents));
  const text = `${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** Compares two exact decimals: negative, zero or positive like a sort comparator. */
export function compareExact(first: ExactDecimal, second: ExactDecimal): number {
  const scale = Math.max(first.scale, second.scale);
  const firstUnits = first.units * 10n ** BigInt(scale - first.scale);
  const secondUnits = second.units * 10n ** BigInt(scale - second.scale);
  return firstUnits < secondUnits ? -1 : firstUnits > secondUnits ? 1 : 0;
}
