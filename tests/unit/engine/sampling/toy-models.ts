import { expect } from "vitest";
import { BeamSearch } from "@/lib/engine/sampling";
import type { BeamHypothesis, BeamSearchOptions } from "@/lib/engine/sampling";

/** A "language model": next-token probabilities (vocab) after a generated prefix. Token 0 is eos. */
export type ToyModel = (prefix: number[]) => number[];

export const EOS = 0;
export const A = 1;
export const B = 2;

const logs = (probs: number[]) => Float32Array.from(probs, Math.log);

/** Drives BeamSearch the way the generation loop will: reorder prefixes by `parents` each step. */
export function runBeams(model: ToyModel, opts: BeamSearchOptions): { best: BeamHypothesis[]; steps: number } {
  const search = new BeamSearch(opts);
  let prefixes: number[][] = [[]];
  for (let steps = 1; ; steps++) {
    const { parents, tokens, done } = search.step(prefixes.map((p) => logs(model(p))));
    expect(parents.length).toBe(tokens.length);
    prefixes = parents.map((b, i) => [...prefixes[b]!, tokens[i]!]);
    if (done) return { best: search.best(), steps };
    expect(search.liveBeams).toBe(prefixes.length);
  }
}

/** Every hypothesis beam search could produce, scored the same way, best first. */
export function exhaustive(model: ToyModel, maxNewTokens: number, lengthPenalty: number): { ids: number[]; score: number }[] {
  const out: { ids: number[]; score: number }[] = [];
  const score = (sum: number, len: number) => sum / Math.max(1, len) ** lengthPenalty;
  const walk = (prefix: number[], sum: number) => {
    logs(model(prefix)).forEach((lp, v) => {
      const s = sum + lp;
      if (v === EOS) out.push({ ids: prefix, score: score(s, prefix.length) });
      else if (prefix.length + 1 === maxNewTokens) out.push({ ids: [...prefix, v], score: score(s, maxNewTokens) });
      else walk([...prefix, v], s);
    });
  };
  walk([], 0);
  return out.sort((x, y) => y.score - x.score);
}

/** A deterministic random model over `vocab` tokens: a hash of the prefix seeds each distribution. */
export function randomModel(vocab: number, seed: number): ToyModel {
  return (prefix) => {
    let h = seed ^ 0x9e3779b9;
    for (const t of prefix) h = Math.imul(h ^ (t + 1), 0x85ebca6b) ^ (h >>> 13);
    const w = Array.from({ length: vocab }, () => {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (h >>> 12);
      h = Math.imul(h ^ (h >>> 16), 0x297a2d39) >>> 0;
      return 0.05 + h / 4294967296;
    });
    const z = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / z);
  };
}

/** Greedy takes A (0.55) then ends at 0.55 × 0.34; B (0.44) then eos (0.9) is better. */
export const greedyTrap: ToyModel = (p) => {
  if (p.length === 0) return [0.01, 0.55, 0.44];
  if (p.length === 1 && p[0] === A) return [0.34, 0.33, 0.33];
  if (p.length === 1 && p[0] === B) return [0.9, 0.05, 0.05];
  return [0.98, 0.01, 0.01];
};

/** Ending at once scores ln 0.5; [A, A] has the lower sum ln 0.405 but is longer. */
export const shortOrLong: ToyModel = (p) => {
  if (p.length === 0) return [0.5, 0.5];
  if (p.length === 1) return [0.1, 0.9];
  return [0.9, 0.1];
};

/** Two poor-but-early hypotheses appear at step 2; the best one ([A, A, A, A]) needs 4 steps. */
export const slowWinner: ToyModel = (p) => {
  if (p.length === 0) return [0.5, 0.3, 0.2];
  if (p.includes(B)) return [0.9, 0.05, 0.05];
  if (p.length === 1) return [0.49, 0.5, 0.01];
  return [0.005, 0.99, 0.005];
};
