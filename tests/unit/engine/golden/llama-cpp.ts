/**
 * Reference runs through llama.cpp (node-llama-cpp, CPU, prebuilt binary):
 * F32 KV cache and flash attention off, greedy decoding, per-step log-probs.
 */
import type { Llama } from "node-llama-cpp";
import { getLlama } from "node-llama-cpp";

let llamaPromise: Promise<Llama> | null = null;
function llamaInstance(): Promise<Llama> {
  llamaPromise ??= getLlama({ gpu: false, build: "never", logLevel: "error" as never });
  return llamaPromise;
}

export interface ReferenceRun {
  ids: number[];
  /** logprobs[i] (vocab): log p(token | prefix) at generated step i. */
  logprobs: Float64Array[];
}

/** Greedy-decodes `steps` tokens after `prompt` with llama.cpp and records log-probs of the full vocab. */
export async function llamaCppGreedy(modelPath: string, prompt: number[], steps: number, vocab: number): Promise<ReferenceRun> {
  const llama = await llamaInstance();
  const model = await llama.loadModel({ modelPath });
  const ctx = await model.createContext({
    contextSize: prompt.length + steps + 8,
    flashAttention: false,
    experimentalKvCacheKeyType: "F32",
    experimentalKvCacheValueType: "F32",
    threads: 1,
  });
  try {
    const seq = ctx.getSequence();
    const ids: number[] = [];
    const logprobs: Float64Array[] = [];
    let input: number[] = prompt;
    for (let s = 0; s < steps; s++) {
      const items = input.map((t, i) => (i === input.length - 1 ? ([t, { generateNext: { probabilities: true } }] as const) : t));
      const res = await seq.controlledEvaluate(items as never);
      const probs = res[res.length - 1]?.next.probabilities;
      if (!probs) throw new Error("llama.cpp returned no probabilities");
      const lp = new Float64Array(vocab).fill(-Infinity);
      let best = -1;
      let bestP = -1;
      for (const [tok, p] of probs) {
        lp[tok as number] = Math.log(p);
        if (p > bestP) { bestP = p; best = tok as number; }
      }
      ids.push(best);
      logprobs.push(lp);
      input = [best];
    }
    return { ids, logprobs };
  } finally {
    await ctx.dispose();
    await model.dispose();
  }
}

/** Tokenizes (special tokens parsed) and detokenizes each text with llama.cpp's own tokenizer for the model file. */
export async function llamaCppTokenize(modelPath: string, texts: string[]): Promise<{ ids: number[]; text: string }[]> {
  const llama = await llamaInstance();
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  try {
    return texts.map((t) => {
      const ids = model.tokenize(t, true).map(Number);
      return { ids, text: model.detokenize(ids as never, true) };
    });
  } finally {
    await model.dispose();
  }
}
