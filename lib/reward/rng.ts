/**
 * Seeded randomness for initialisation and shuffling. lib/reward never calls
 * Math.random, so a run is reproduced exactly from its stored seed.
 */

// The same mulberry32 generator the statistics use: one implementation, one stream per seed.
import { createRng, type Rng } from "@/lib/stats/rng";

export { createRng, type Rng };

/** Standard normal sample (Box–Muller); 1 - u keeps log away from 0. */
export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
