import "server-only";
import type { GenerationResult } from "@/lib/engine/generate";
import type { DecodingConfig } from "@/lib/engine/sampling";
import { GenerationWorkerPool } from "@/lib/model-files/worker-pool";
import { promptAsMessages, type CompletionSource, type GeneratedCompletion, type PromptContent } from "./source";

/**
 * The built-in engine in a worker thread. The prompt's real messages go to the
 * worker, which applies the model's chat template (a plain-text prompt is one
 * user turn), so generation prefills the ids reward features read. Sampling
 * configs share one prefill and decode as a batch; each beam-search config
 * runs on its own (the engine takes one beam config per call). A prompt that
 * does not leave room for max_new_tokens fails with PromptError ("too_long"),
 * unless `stopAtContext`, when it is generated until the context is full.
 */
export async function openBuiltinSource(opts: { modelPath: string; modelId: string; stopAtContext?: boolean }): Promise<CompletionSource> {
  const pool = await GenerationWorkerPool.start({ modelPath: opts.modelPath, size: 1 });
  async function run(prompt: PromptContent, configs: DecodingConfig[], signal: AbortSignal): Promise<GenerationResult[]> {
    const results: GenerationResult[] = new Array(configs.length);
    for await (const ev of pool.generate({ messages: promptAsMessages(prompt), configs, stopAtContext: opts.stopAtContext }, signal)) {
      if (ev.type === "done") results[ev.seq] = ev.result;
    }
    return results;
  }
  return {
    modelId: opts.modelId,
    async generate(prompt, configs, signal) {
      const out: GeneratedCompletion[] = new Array(configs.length);
      const sampling = configs.map((c, i) => ({ c, i })).filter(({ c }) => c.numBeams <= 1);
      const beams = configs.map((c, i) => ({ c, i })).filter(({ c }) => c.numBeams > 1);
      const store = (i: number, r: GenerationResult) => {
        out[i] = { text: r.text, tokenCount: r.tokenCount, finishReason: r.finishReason, logprobs: r.logprobs };
      };
      if (sampling.length) (await run(prompt, sampling.map((s) => s.c), signal)).forEach((r, j) => store(sampling[j].i, r));
      for (const b of beams) store(b.i, (await run(prompt, [b.c], signal))[0]);
      return out;
    },
    close: () => pool.close(),
  };
}
