/**
 * Seeded randomness for the sandbox store.
 *
 * Every generator in this folder draws from an `Rng` made here, so a seed
 * fully determines the catalog, the customers and the order stream. The
 * generator is mulberry32: tiny, fast and good enough for demo data (it is
 * not cryptographic and does not need to be).
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Element chosen with probability proportional to `weight(item)`. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent generator derived from this seed and a label. Separate
   * concerns (ids, titles, inventory…) draw from their own forks so that
   * changing how one of them consumes numbers does not reshuffle the others.
   */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a hash, used to turn labels into seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rng(seed: number | string): Rng {
  const baseSeed = typeof seed === "string" ? hashString(seed) : seed >>> 0;
  const next = mulberry32(baseSeed);

  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick from an empty array");
    return items[int(0, items.length - 1)];
  };

  const weighted = <T>(items: readonly T[], weight: (item: T) => number): T => {
    const weights = items.map((item) => Math.max(0, weight(item)));
    const total = weights.reduce((sum, w) => sum + w, 0);
    if (total <= 0) throw new Error("weighted pick with no positive weight");
    let r = next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    // Floating-point leftovers land on the last item that could be chosen.
    for (let i = items.length - 1; i >= 0; i--) if (weights[i] > 0) return items[i];
    throw new Error("unreachable");
  };

  const chance = (p: number): boolean => next() < p;

  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };

  const fork = (label: string): Rng => rng(hashString(`${baseSeed}:${label}`));

  return { next, int, pick, weighted, chance, shuffle, fork };
}
