// Axis ticks a person reads at a glance: 0 and even steps of 1, 2 or 5 times a power of ten
// ($0 / $5K / $10K / $15K), never the steps a charting library picks by dividing the largest
// value into equal parts ($3.5K / $7K / $10.5K, or $0 / $9 / $18). Pure: used by the charts.

const STEPS = [1, 2, 5] as const;

/**
 * Ticks from 0 up to the first tick at or above `max`, at most `maxIntervals` steps apart (at
 * least one). The step is the smallest of 1, 2, 5 × 10^k that covers `max` in `maxIntervals`
 * steps, and never smaller than `minStep` (1 for whole dollars: no $0.25 ticks).
 * A negative `min` extends the ticks below 0 with the same step.
 */
export function niceTicks(max: number, options: { maxIntervals?: number; minStep?: number; min?: number } = {}): number[] {
  const maxIntervals = Math.max(1, Math.floor(options.maxIntervals ?? 4));
  const minStep = options.minStep ?? 1;
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  const bottom = Number.isFinite(options.min) && (options.min ?? 0) < 0 ? (options.min as number) : 0;
  const span = top - bottom;
  if (span === 0) return [0, minStep];
  let step = minStep;
  for (let exponent = Math.floor(Math.log10(span / maxIntervals)) - 1; ; exponent++) {
    const found = STEPS.map((s) => s * 10 ** exponent).find(
      (s) => s >= minStep && Math.ceil(top / s) - Math.floor(bottom / s) <= maxIntervals,
    );
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  const first = Math.floor(bottom / step);
  const last = Math.ceil(top / step);
  const ticks: number[] = [];
  // whole multiples of the step (no 0.30000000000000004)
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  if (ticks.length === 1) ticks.push(Number(((last + 1) * step).toPrecision(12)));
  return ticks;
}

/** The axis domain of the ticks: [first, last]. */
export function niceDomain(ticks: readonly number[]): [number, number] {
  return [ticks[0] ?? 0, ticks[ticks.length - 1] ?? 1];
}
