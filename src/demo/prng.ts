/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) for the demo city.
 * Never Math.random: the same seed and label give the same stream on every machine.
 */

/** FNV-1a over a string, mixed: a 32-bit seed for a labelled stream. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
  }

  /** A stream for a label under a seed, e.g. `Rng.for(7, '411402:students')`. */
  static for(seed: number, label: string): Rng {
    return new Rng(hashString(`${seed}:${label}`));
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index drawn with the given non-negative weights (cumulative weights precomputed by `cumulative`). */
  pickCumulative(cum: Float64Array | number[]): number {
    const x = this.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Shuffles in place (Fisher–Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** k distinct indices of [0, n), as a 0/1 mask. */
  mask(n: number, k: number): Uint8Array {
    const m = new Uint8Array(n);
    if (k <= 0) return m;
    if (k >= n) return m.fill(1);
    // Floyd's algorithm: k draws, no array of n indices.
    for (let j = n - k; j < n; j++) {
      const t = this.int(0, j);
      if (m[t]) m[j] = 1;
      else m[t] = 1;
    }
    return m;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export function cumulative(weights: readonly number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    c[i] = s;
  }
  return c;
}

/**
 * Splits an integer total in proportion to weights (largest remainder, ties to the lower index), so
 * the parts always add up to the total. Optional caps bound each part; the excess goes to the others.
 */
export function apportion(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const n = weights.length;
  const out = new Array<number>(n).fill(0);
  if (n === 0 || total <= 0) return out;
  let remaining = Math.round(total);
  const open = new Array<boolean>(n).fill(true);
  for (let round = 0; round < 50 && remaining > 0; round++) {
    let sum = 0;
    for (let i = 0; i < n; i++) if (open[i] && weights[i] > 0) sum += weights[i];
    if (sum <= 0) break;
    const shares = new Array<number>(n).fill(0);
    let given = 0;
    for (let i = 0; i < n; i++) {
      if (!open[i] || weights[i] <= 0) continue;
      const exact = (remaining * weights[i]) / sum;
      shares[i] = exact;
      const f = Math.floor(exact);
      out[i] += f;
      given += f;
    }
    let left = remaining - given;
    if (left > 0) {
      const order = [];
      for (let i = 0; i < n; i++) if (open[i] && weights[i] > 0) order.push(i);
      order.sort((x, y) => shares[y] - Math.floor(shares[y]) - (shares[x] - Math.floor(shares[x])) || x - y);
      for (let k = 0; left > 0; k = (k + 1) % order.length) {
        out[order[k]]++;
        left--;
      }
    }
    remaining = 0;
    if (!caps) break;
    for (let i = 0; i < n; i++) {
      if (open[i] && out[i] >= caps[i]) {
        remaining += out[i] - caps[i];
        out[i] = caps[i];
        open[i] = false;
      }
    }
  }
  return out;
}
