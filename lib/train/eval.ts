import { generate } from "@/lib/engine/generate";
import type { CausalLM } from "@/lib/engine/models/types";
import type { DecodingConfig } from "@/lib/engine/sampling";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { promptIds as chatPromptIds, type Tokenizer } from "@/lib/engine/tokenizer";
import { deriveSeed } from "@/lib/numerics/rng";
import type { TaskItem } from "@/lib/tasks";
import { verifiers } from "@/lib/tasks";

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
 * The greedy answer and K samples for one prompt, in one engine generate()
 * call (the prompt is prefilled once and shared). Sample k of item `idx` is
 * seeded with deriveSeed(deriveSeed(seed, idx), k), so each answer can be
 * reproduced alone. Answers end at <|im_end|> (not included) and keep any
 * other special token in their text, as the verifiers saw them before.
 */
async function answers(model: CausalLM, tokenizer: Tokenizer, prompt: string, idx: number, opts: EvalOptions): Promise<string[]> {
  const promptIds = chatPromptIds(tokenizer, [{ role: "user", content: prompt }]);
  const itemSeed = deriveSeed(opts.seed, idx);
  const configs: DecodingConfig[] = [parseDecodingConfig({ temperature: 0, max_new_tokens: opts.maxNewTokens })];
  for (let k = 0; k < opts.samplesPerPrompt; k++) {
    configs.push(parseDecodingConfig({ temperature: opts.temperature, max_new_tokens: opts.maxNewTokens, seed: deriveSeed(itemSeed, k) }));
  }
  const out: string[] = new Array<string>(configs.length);
  for await (const ev of generate({ model, promptIds, configs, eosIds: tokenizer.eosIds })) {
    if (ev.type !== "done") continue;
    const ids = ev.result.finishReason === "stop" ? ev.result.ids.slice(0, -1) : ev.result.ids;
    out[ev.seq] = tokenizer.decode(ids, { skipSpecialTokens: false }).trim();
  }
  return out;
}

interface Tally {
  n: number;
  greedy: number;
  sampled: number;
  mixed: number;
}

/**
 * Greedy accuracy and sample diversity per family, judged by the task
 * verifiers, with the model running on the engine (see engineModelFromParams
 * for a model being trained). The "mixed" share is what preference collection
 * needs: prompts where ranking K samples has a right answer to prefer over a wrong one.
 */
export async function evaluate(model: CausalLM, tokenizer: Tokenizer, items: readonly TaskItem[], opts: EvalOptions): Promise<EvalReport> {
  const byFamily = new Map<string, Tally>();
  const examples: EvalReport["examples"] = [];
  for (const [idx, item] of items.entries()) {
    const verify = verifiers[item.verifierId];
    if (!verify) throw new Error(`no verifier registered for ${item.verifierId}`);
    const [greedy, ...samples] = await answers(model, tokenizer, item.prompt, idx, opts);
    const greedyOk = verify(item.meta, greedy!).correct;
    const right = samples.filter((s) => verify(item.meta, s).correct).length;
    const f = byFamily.get(item.family) ?? { n: 0, greedy: 0, sampled: 0, mixed: 0 };
    f.n++;
    f.greedy += greedyOk ? 1 : 0;
    f.sampled += right;
    f.mixed += right > 0 && right < opts.samplesPerPrompt ? 1 : 0;
    byFamily.set(item.family, f);
    if (examples.filter((e) => e.family === item.family).length < 2) examples.push({ family: item.family, prompt: item.prompt, greedy: greedy!, correct: greedyOk });
  }
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
