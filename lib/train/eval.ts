import type { Tokenizer } from "@/lib/engine/tokenizer";
import { chatPrompt, END_OF_TURN } from "./chat-format";
import { deriveSeed, Rng } from "./rng";
import type { TrainSampler } from "./sample";
import type { TaskItem } from "./tasks/index";
import { verifiers } from "./tasks/index";

export interface FamilyEval {
  family: string;
  prompts: number;
  /** Share of prompts whose greedy answer the verifier accepts. */
  greedyAccuracy: number;
  /** Share of the K samples (temperature 1) the verifier accepts. */
  sampleAccuracy: number;
  /** Share of prompts whose K samples include at least one right and one wrong answer. */
  mixedShare: number;
}

export interface EvalReport {
  families: FamilyEval[];
  overall: Omit<FamilyEval, "family">;
  examples: { family: string; prompt: string; greedy: string; correct: boolean }[];
}

export interface EvalOptions {
  samplesPerPrompt: number;
  temperature: number;
  maxNewTokens: number;
  seed: number;
}

/**
 * Greedy accuracy and sample diversity per family, judged by the task
 * verifiers. The "mixed" share is what preference collection needs: prompts
 * where ranking K samples has a right answer to prefer over a wrong one.
 */
export function evaluate(sampler: TrainSampler, tokenizer: Tokenizer, items: readonly TaskItem[], opts: EvalOptions): EvalReport {
  const encode = (text: string) => tokenizer.encode(text, { addSpecialTokens: false });
  const stop = encode(END_OF_TURN);
  const byFamily = new Map<string, { n: number; greedy: number; sampled: number; mixed: number }>();
  const examples: EvalReport["examples"] = [];
  items.forEach((item, idx) => {
    const verify = verifiers[item.verifierId];
    if (!verify) throw new Error(`no verifier registered for ${item.verifierId}`);
    const ids = encode(chatPrompt(item.prompt));
    const rng = new Rng(deriveSeed(opts.seed, idx));
    const run = (temperature: number) =>
      tokenizer.decode(sampler.generate(ids, { temperature, maxNewTokens: opts.maxNewTokens, stopIds: stop }, rng), { skipSpecialTokens: false }).trim();
    const greedy = run(0);
    const greedyOk = verify(item.meta, greedy).correct;
    let right = 0;
    for (let k = 0; k < opts.samplesPerPrompt; k++) if (verify(item.meta, run(opts.temperature)).correct) right++;
    const f = byFamily.get(item.family) ?? { n: 0, greedy: 0, sampled: 0, mixed: 0 };
    f.n++;
    f.greedy += greedyOk ? 1 : 0;
    f.sampled += right;
    f.mixed += right > 0 && right < opts.samplesPerPrompt ? 1 : 0;
    byFamily.set(item.family, f);
    if (examples.filter((e) => e.family === item.family).length < 2) examples.push({ family: item.family, prompt: item.prompt, greedy, correct: greedyOk });
  });
  const K = Math.max(1, opts.samplesPerPrompt);
  const families = [...byFamily].map(([family, f]) => ({
    family, prompts: f.n, greedyAccuracy: f.greedy / f.n, sampleAccuracy: f.sampled / (f.n * K), mixedShare: f.mixed / f.n,
  }));
  const all = [...byFamily.values()].reduce((a, f) => ({ n: a.n + f.n, greedy: a.greedy + f.greedy, sampled: a.sampled + f.sampled, mixed: a.mixed + f.mixed }), {
    n: 0, greedy: 0, sampled: 0, mixed: 0,
  });
  const n = Math.max(1, all.n);
  return {
    families,
    overall: { prompts: all.n, greedyAccuracy: all.greedy / n, sampleAccuracy: all.sampled / (n * K), mixedShare: all.mixed / n },
    examples,
  };
}
