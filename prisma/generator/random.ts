// A small seeded pseudo-random generator for the demo data: the same seed always gives the
// same practice. mulberry32 (public domain, Tommy Ettinger) is fast and good enough for
// synthetic data; it is not for anything security related.

/** Mixes a seed and an index into a well-spread 32-bit seed (splitmix32-style finalizer). */
export function mixSeed(seed: number, index = 0): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A seeded random source with the helpers the generator needs. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One element chosen by weight: entries are [item, weight] with weights ≥ 0 and a positive sum. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    if (!(total > 0)) throw new Error("weighted pick needs a positive total weight");
    let r = this.next() * total;
    for (const [item, weight] of entries) {
      r -= weight;
      if (r < 0) return item;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** Roughly normal (sum of four uniforms), mean and standard deviation as given. */
  normal(mean: number, sd: number): number {
    const sum = this.next() + this.next() + this.next() + this.next();
    // Sum of 4 U(0,1): mean 2, variance 4/12.
    return mean + ((sum - 2) / Math.sqrt(4 / 12)) * sd;
  }

  /** A rounded roughly normal integer clamped to [min, max]. */
  normalInt(mean: number, sd: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, Math.round(this.normal(mean, sd))));
  }

  /** k distinct elements (k ≤ items.length), in the order drawn. */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    for (let i = 0; i < k && pool.length > 0; i++) {
      const index = Math.floor(this.next() * pool.length);
      out.push(pool[index] as T);
      pool.splice(index, 1);
    }
    return out;
  }

  /** k distinct elements drawn by weight without replacement. */
  weightedSample<T>(entries: readonly (readonly [T, number])[], k: number): T[] {
    const pool = [...entries];
    const out: T[] = [];
    for (let i = 0; i < k && pool.length > 0; i++) {
      const item = this.weighted(pool);
      out.push(item);
      pool.splice(
        pool.findIndex(([candidate]) => candidate === item),
        1,
      );
    }
    return out;
  }

  /** A string of digits of the given length (leading zeros allowed). */
  digits(length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += String(Math.floor(this.next() * 10));
    return text;
  }
}
