/** A choice and its relative weight; the weights of a list need not add up to 1. */
export type Weighted<T> = readonly [value: T, weight: number];

/**
 * A small seeded pseudo-random generator (mulberry32). Integer arithmetic only, so the same seed gives the
 * same sequence on every machine and Node version, which is what makes the sample and the clustering reproducible.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform whole number from min to max, both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [low, high). */
  between([low, high]: readonly [number, number]): number {
    return low + this.next() * (high - low);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(choices: readonly Weighted<T>[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let draw = this.next() * total;
    for (const [value, weight] of choices) {
      draw -= weight;
      if (draw < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** Normally distributed (Box-Muller). */
  normal(mean: number, deviation: number): number {
    const u = 1 - this.next(); // in (0, 1], so the logarithm is finite
    const v = this.next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal around a median: prices and basket values are mostly modest with a long expensive tail. */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(this.normal(0, spread));
  }
}
