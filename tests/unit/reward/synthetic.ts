/**
 * Synthetic preference tasks with a known rule, shared by the tests and
 * bench/reward.ts. Features are N(0, 1) per completion; preferences follow
 * the rule, so a correct trainer must recover it and a broken one cannot
 * fake held-out accuracy.
 */
import { createRng } from "@/lib/numerics/rng";
import type { PreferencePair, PromptGroup } from "@/lib/reward/types";

export type SyntheticRule =
  /** Higher feature 3 wins, no noise. */
  | "dim3"
  /** Higher w·x + noise·ε wins for a hidden random unit direction w. */
  | "direction"
  /** A coin flip decides; nothing is learnable. */
  | "random";

export interface SyntheticOptions {
  prompts: number;
  completionsPerPrompt: number;
  dim: number;
  rule: SyntheticRule;
  seed: number;
  noise?: number;
  annotators?: number;
  /** Feature scale and offset, to show standardisation makes them irrelevant. */
  scale?: number;
  offset?: number;
}

export interface SyntheticTask {
  features: Map<string, Float32Array>;
  groups: PromptGroup[];
  direction: Float32Array;
}

/** Builds every ordered pair of each prompt's completions under `rule`. */
export function makeSyntheticTask(o: SyntheticOptions): SyntheticTask {
  const rng = createRng(o.seed);
  const direction = new Float32Array(o.dim);
  let norm = 0;
  for (let i = 0; i < o.dim; i++) norm += (direction[i] = rng.normal()) ** 2;
  for (let i = 0; i < o.dim; i++) direction[i] /= Math.sqrt(norm);
  const features = new Map<string, Float32Array>();
  const groups: PromptGroup[] = [];
  let pairIndex = 0;
  for (let p = 0; p < o.prompts; p++) {
    const promptId = `p${p}`;
    const ids: string[] = [];
    const scores: number[] = [];
    for (let c = 0; c < o.completionsPerPrompt; c++) {
      const x = new Float32Array(o.dim);
      let s = 0;
      for (let i = 0; i < o.dim; i++) {
        const v = rng.normal();
        x[i] = v * (o.scale ?? 1) + (o.offset ?? 0);
        s += direction[i] * v;
      }
      const id = `${promptId}c${c}`;
      features.set(id, x);
      ids.push(id);
      scores.push(o.rule === "dim3" ? (x[3] - (o.offset ?? 0)) : s + (o.noise ?? 0) * rng.normal());
    }
    const pairs: PreferencePair[] = [];
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) {
        const aWins = o.rule === "random" ? rng.next() < 0.5 : scores[a] > scores[b];
        const annotatorId = `ann${pairIndex++ % (o.annotators ?? 3)}`;
        pairs.push({ promptId, chosenId: aWins ? ids[a] : ids[b], rejectedId: aWins ? ids[b] : ids[a], annotatorId });
      }
    }
    groups.push({ promptId, pairs });
  }
  return { features, groups, direction };
}
