/**
 * A model with a tokenizer trained here (byte-level BPE + ChatML specials)
 * exported to GGUF: llama.cpp must tokenize and detokenize like the engine's
 * tokenizer, and generate the same greedy ids.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { ggufFromHf } from "@/lib/engine/models/export-gguf";
import { ggufVocabFromTokenizerJson } from "@/lib/engine/models/gguf-vocab";
import { modelFromGguf, modelFromHf } from "@/lib/engine/models/load";
import { tokenizerFromGguf, tokenizerFromJson } from "@/lib/engine/tokenizer";
import { toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { engineGreedy, maxLogprobDiff } from "./compare";
import { llamaCppGreedy, llamaCppTokenize } from "./llama-cpp";
import { randomLlama } from "./random-model";

const dir = mkdtempSync(path.join(tmpdir(), "engine-bpe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpus = [
  "The quick brown fox jumps over the lazy dog.",
  "What is 12 plus 30? The answer is 42.",
  "def double(x):\n    return x * 2\n",
  "Once upon a time, there was a little cat who loved the sun.",
  "Café crème, naïve résumé — ünïcödé text 😀 too.",
];
const bpe = trainBpe(corpus, 120);
const tokenizerJson = toTokenizerJson(bpe);
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const tokenizerConfig = { add_bos_token: false, bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>", chat_template: CHATML };
const V = vocabSize(bpe) + 5; // the embedding may reserve rows beyond the tokenizer
const m = randomLlama({ arch: "LlamaForCausalLM", dim: 64, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 96, vocab: V, ctx: 128, tied: false, seed: 8 });
const bytes = ggufFromHf(m.config, m.tensors, { vocab: ggufVocabFromTokenizerJson(tokenizerJson, tokenizerConfig), dtype: "F32" });
const file = path.join(dir, "bpe.gguf");
writeFileSync(file, bytes);

const TEXTS = [
  "",
  " ",
  "Hello world",
  "  leading and  double  spaces",
  "numbers 12345 and 3.14",
  "Café ünïcödé 😀",
  "def f(x):\n\treturn x*2\n",
  "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
];

describe("byte-level BPE model exported to GGUF", () => {
  it("llama.cpp tokenizes and detokenizes like the engine's tokenizer.json tokenizer", async () => {
    const ours = tokenizerFromJson(tokenizerJson, tokenizerConfig);
    const ref = await llamaCppTokenize(file, TEXTS);
    TEXTS.forEach((t, i) => {
      const ids = ours.encode(t, { addSpecialTokens: false });
      expect(ids, JSON.stringify(t)).toEqual(ref[i].ids);
      expect(ours.decode(ids)).toBe(ref[i].text);
    });
    expect(readGguf(bytes).metadata["tokenizer.chat_template"]).toBe(CHATML);
  });

  // llama.cpp names GPT-2's split regex "gpt-2"; the GGUF tokenizer must read it like tokenizer.json.
  it("the engine's tokenizerFromGguf reads the exported metadata like tokenizer.json", () => {
    const ours = tokenizerFromJson(tokenizerJson, tokenizerConfig);
    const fromGguf = tokenizerFromGguf(readGguf(bytes).metadata);
    for (const t of TEXTS) expect(fromGguf.encode(t, { addSpecialTokens: false })).toEqual(ours.encode(t, { addSpecialTokens: false }));
    expect(fromGguf.eosIds).toContain(bpe.special.get("<|im_end|>"));
  });

  it("llama.cpp and the engine generate the same greedy ids from a chat prompt", async () => {
    const tok = tokenizerFromJson(tokenizerJson, tokenizerConfig);
    const prompt = tok.encode(tok.applyChatTemplate([{ role: "user", content: "What is 12 plus 30?" }], { addGenerationPrompt: true }), {
      addSpecialTokens: false,
    });
    const ref = await llamaCppGreedy(file, prompt, 32, V);
    for (const model of [modelFromGguf(readGguf(bytes)), modelFromHf(m.config, m.tensors)]) {
      const ours = engineGreedy(model, prompt, 32);
      expect(ours.ids).toEqual(ref.ids);
      expect(maxLogprobDiff(ours, ref)).toBeLessThan(1e-3);
    }
  });
});
