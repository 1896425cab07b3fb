import { describe, expect, it } from "vitest";
import { BeamSearch } from "@/lib/engine/sampling";
import { A, B, EOS, exhaustive, greedyTrap, randomModel, runBeams, shortOrLong, slowWinner } from "./toy-models";

const opts = { numBeams: 2, lengthPenalty: 1, earlyStopping: false, eosIds: [EOS], maxNewTokens: 4 };

describe("BeamSearch", () => {
  it("finds the sequence greedy misses", () => {
    const greedy = runBeams(greedyTrap, { ...opts, numBeams: 1, lengthPenalty: 0 });
    const beams = runBeams(greedyTrap, { ...opts, numBeams: 2, lengthPenalty: 0 });
    expect(greedy.best[0]!.ids).toEqual([A]);
    expect(beams.best[0]!.ids).toEqual([B]);
    expect(beams.best[0]!.score).toBeCloseTo(Math.log(0.44 * 0.9), 5);
    expect(beams.best[0]!.eos).toBe(true);
    expect(beams.best[0]!.ids).toEqual(exhaustive(greedyTrap, 4, 0)[0]!.ids);
  });

  it("length penalty changes the winner: 0 favours ending now, 1 the longer sequence", () => {
    const short = runBeams(shortOrLong, { ...opts, lengthPenalty: 0 });
    const long = runBeams(shortOrLong, { ...opts, lengthPenalty: 1 });
    expect(short.best[0]).toMatchObject({ ids: [], eos: true });
    expect(short.best[0]!.score).toBeCloseTo(Math.log(0.5), 5);
    expect(long.best[0]).toMatchObject({ ids: [A, A], eos: true });
    expect(long.best[0]!.score).toBeCloseTo(Math.log(0.5 * 0.9 * 0.9) / 2, 5);
  });

  it("early stopping stops once numBeams hypotheses exist; without it the search goes on to a better one", () => {
    const early = runBeams(slowWinner, { ...opts, earlyStopping: true });
    const patient = runBeams(slowWinner, { ...opts, earlyStopping: false });
    expect(early.steps).toBe(2);
    expect(early.best.map((h) => h.ids)).toEqual([[], [B]]);
    expect(patient.steps).toBe(4);
    expect(patient.best[0]).toMatchObject({ ids: [A, A, A, A], eos: false });
    expect(patient.best[0]!.ids).toEqual(exhaustive(slowWinner, 4, 1)[0]!.ids);
  });

  it("without early stopping still stops before max_new_tokens once no live beam can win", () => {
    const model = (p: number[]) => (p.length === 0 ? [0.6, 0.3, 0.1] : p[0] === A && p.length === 1 ? [0.9, 0.05, 0.05] : [1 / 3, 1 / 3, 1 / 3]);
    const r = runBeams(model, { ...opts, lengthPenalty: 0, maxNewTokens: 10 });
    expect(r.steps).toBe(2);
    expect(r.best.map((h) => h.ids)).toEqual([[], [A]]);
  });

  it("without early stopping keeps a live beam that could still win at max_new_tokens (length_penalty > 0)", () => {
    // After step 1, [] scores ln 0.6 = -0.51 and beam [A] has sum ln 0.4 = -0.92: by its current length it
    // looks worse, but spread over 10 tokens of p = 0.999 it ends at about -0.09.
    const model = (p: number[]) => (p.length === 0 ? [0.6, 0.4] : [0.001, 0.999]);
    const r = runBeams(model, { ...opts, numBeams: 1, maxNewTokens: 10 });
    expect(r.steps).toBe(10);
    expect(r.best[0]).toMatchObject({ ids: new Array(10).fill(A), eos: false });
    expect(r.best[0]!.ids).toEqual(exhaustive(model, 10, 1)[0]!.ids);
  });

  it("closes the live beams as hypotheses at max_new_tokens", () => {
    const never = () => [0.001, 0.6, 0.399];
    const r = runBeams(never, { ...opts, maxNewTokens: 3 });
    expect(r.steps).toBe(3);
    expect(r.best[0]).toMatchObject({ ids: [A, A, A], eos: false });
    expect(r.best[1]!.ids.length).toBe(3);
  });

  it.each([
    [-1, 1], [0, 2], [0.5, 3], [1, 4], [2, 5],
  ])("with enough beams to keep every prefix, equals exhaustive search (length_penalty %d, model %d)", (lp, seed) => {
    const model = randomModel(4, seed);
    // 3 non-eos tokens, 3 steps: at most 9 live beams × 4 tokens = 36 candidates, so nothing is pruned.
    const r = runBeams(model, { numBeams: 36, lengthPenalty: lp, earlyStopping: false, eosIds: [EOS], maxNewTokens: 3 });
    const all = exhaustive(model, 3, lp);
    expect(r.best.map((h) => h.ids)).toEqual(all.slice(0, 36).map((h) => h.ids));
    r.best.forEach((h, i) => expect(h.score).toBeCloseTo(all[i]!.score, 5));
  });

  it.each([1, 2, 3])("stops early only when exact: top-48 equals exhaustive search with length_penalty 2 (model %d)", (seed) => {
    // 2 non-eos tokens, 5 steps: at most 16 live beams × 3 tokens = 48 candidates, none pruned; 63 hypotheses
    // exist, so the search may stop before max_new_tokens, and must not lose a hypothesis that ranks in the top 48.
    const base = randomModel(3, seed);
    const model = (p: number[]) => {
      const q = base(p);
      return [0.7 + 0.3 * q[0]!, 0.3 * q[1]!, 0.3 * q[2]!]; // eos-heavy: hypotheses fill early
    };
    const r = runBeams(model, { numBeams: 48, lengthPenalty: 2, earlyStopping: false, eosIds: [EOS], maxNewTokens: 5 });
    const all = exhaustive(model, 5, 2);
    expect(r.best.map((h) => h.ids)).toEqual(all.slice(0, 48).map((h) => h.ids));
  });

  it("with few beams never beats exhaustive search and usually matches it", () => {
    let matches = 0;
    for (let seed = 0; seed < 20; seed++) {
      const model = randomModel(5, seed);
      const r = runBeams(model, { numBeams: 3, lengthPenalty: 1, earlyStopping: false, eosIds: [EOS], maxNewTokens: 4 });
      const best = exhaustive(model, 4, 1)[0]!;
      expect(r.best[0]!.score).toBeLessThanOrEqual(best.score + 1e-6);
      if (r.best[0]!.score > best.score - 1e-6) matches++;
    }
    expect(matches).toBeGreaterThan(10);
  });

  it("treats every id in eosIds as an end", () => {
    const model = () => [0.1, 0.2, 0.7];
    const r = runBeams(model, { ...opts, eosIds: [EOS, B], lengthPenalty: 0 });
    expect(r.best[0]).toMatchObject({ ids: [], eos: true });
    expect(r.best[0]!.score).toBeCloseTo(Math.log(0.7), 5);
  });

  it("returns parents and tokens that reorder the live beams", () => {
    const search = new BeamSearch({ ...opts, maxNewTokens: 5 });
    const first = search.step([Float32Array.from([0.05, 0.6, 0.35], Math.log)]);
    expect(first).toEqual({ parents: [0, 0], tokens: [A, B], done: false });
    // Beam 1 (B) now has the far better continuation: both new beams descend from it.
    const second = search.step([Float32Array.from([0.01, 0.5, 0.49], Math.log), Float32Array.from([0.01, 0.01, 0.98], Math.log)]);
    expect(second).toEqual({ parents: [1, 0], tokens: [B, A], done: false });
  });

  it("refuses bad options and misuse", () => {
    expect(() => new BeamSearch({ ...opts, numBeams: 0 })).toThrow("num_beams must be an integer >= 1, got 0");
    expect(() => new BeamSearch({ ...opts, maxNewTokens: 0 })).toThrow("max_new_tokens must be an integer >= 1, got 0");
    expect(() => new BeamSearch({ ...opts, lengthPenalty: Number.NaN })).toThrow("length_penalty must be a finite number, got NaN");
    expect(() => new BeamSearch({ ...opts, eosIds: [-1] })).toThrow("eos ids must be integers >= 0, got -1");
    const search = new BeamSearch({ ...opts, maxNewTokens: 1 });
    expect(() => search.step([new Float32Array(3), new Float32Array(3)])).toThrow("expected logprobs for 1 live beams, got 2");
    expect(search.step([Float32Array.from([0.2, 0.5, 0.3], Math.log)]).done).toBe(true);
    expect(() => search.step([new Float32Array(3)])).toThrow("beam search is done");
  });
});
