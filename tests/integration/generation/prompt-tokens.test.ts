import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, type GenerationResult } from "@/lib/engine/generate";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { openBuiltinSource } from "@/lib/generation/builtin-source";
import type { CompletionSource } from "@/lib/generation/source";
import { openFeaturizer, type Featurizer } from "@/lib/model-files/features";
import { loadModelFromPath } from "@/lib/model-files/load";
import { writeTinyModel } from "../../support/tiny-model";

const CONVERSATION = [
  { role: "system", content: "You answer sums." },
  { role: "user", content: "What is 17 + 25?" },
  { role: "assistant", content: "The answer is 42." },
  { role: "user", content: "Hello world, and 25 + 17?" },
];
const config = parseDecodingConfig({ temperature: 0, max_new_tokens: 8, logprobs: true, stop_token_ids: [] });

let dir: string;
let source: CompletionSource;
let featurizer: Featurizer;
beforeAll(async () => {
  dir = writeTinyModel();
  source = await openBuiltinSource({ modelPath: dir, modelId: "tiny" });
  featurizer = await openFeaturizer(dir);
});
afterAll(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Greedy generation in this process from the given prompt ids. */
async function fromIds(promptIds: number[]): Promise<GenerationResult> {
  const { model, tokenizer, eosIds } = await loadModelFromPath(dir);
  for await (const e of generate({ model, tokenizer, promptIds, configs: [config], eosIds })) if (e.type === "done") return e.result;
  throw new Error("generate() ended without a result");
}

describe("one prompt → tokens path", () => {
  it("generation prefills exactly the ids reward features read before the reply (system + multi-turn)", async () => {
    const signal = new AbortController().signal;
    const [generated] = await source.generate({ text: null, messages: CONVERSATION }, [config], signal);
    const read = featurizer.conversation(CONVERSATION, generated.text);
    expect(read.ids.length).toBeLessThan(featurizer.contextLength);
    // The worker's greedy tokens and their log-probabilities follow from the ids it prefilled:
    // continuing the features' prefix in this process reproduces them.
    const again = await fromIds(read.ids.slice(0, read.replyStart));
    expect(generated.text).toBe(again.text);
    expect(generated.logprobs).toEqual(again.logprobs);
    // The features read that reply right after the prefix.
    const { tokenizer } = await loadModelFromPath(dir);
    expect(tokenizer!.decode(read.ids.slice(read.replyStart), { skipSpecialTokens: true })).toBe(generated.text);
  });

  it("sends a plain-text prompt as one user turn", async () => {
    const signal = new AbortController().signal;
    const [plain] = await source.generate({ text: "What is 17 + 25?", messages: null }, [config], signal);
    const [chat] = await source.generate({ text: null, messages: [{ role: "user", content: "What is 17 + 25?" }] }, [config], signal);
    expect(plain.logprobs).toEqual(chat.logprobs);
    const read = featurizer.conversation([{ role: "user", content: "What is 17 + 25?" }], plain.text);
    expect((await fromIds(read.ids.slice(0, read.replyStart))).logprobs).toEqual(plain.logprobs);
  });
});
