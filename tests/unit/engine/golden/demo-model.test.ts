/**
 * The shipped demo model: the engine (from the HF folder and from the GGUF
 * copy) and llama.cpp (from the GGUF copy) must produce the same greedy
 * answer to a chat prompt, with log-probs that agree.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModelFromPath } from "@/lib/model-files/load";
import { engineGreedy, maxLogprobDiff } from "./compare";
import { llamaCppGreedy } from "./llama-cpp";

const dir = path.resolve("models/demo");
const gguf = path.join(dir, "model.gguf");
const present = existsSync(path.join(dir, "model.safetensors")) && existsSync(gguf);

describe.skipIf(!present)("demo model parity", () => {
  it("gives the same greedy ids from the HF folder, the GGUF copy and llama.cpp", async () => {
    const hf = await loadModelFromPath(dir);
    const fromGguf = await loadModelFromPath(gguf);
    const chat = hf.tokenizer!.applyChatTemplate([{ role: "user", content: "Reverse the words: red green blue" }], { addGenerationPrompt: true });
    const prompt = hf.tokenizer!.encode(chat, { addSpecialTokens: false });
    const steps = 12;
    const a = engineGreedy(hf.model, prompt, steps);
    const b = engineGreedy(fromGguf.model, prompt, steps);
    const vocab = JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8")).vocab_size as number;
    const ref = await llamaCppGreedy(gguf, prompt, steps, vocab);
    expect(b.ids).toEqual(a.ids);
    expect(ref.ids).toEqual(a.ids);
    expect(maxLogprobDiff(a, ref, 1e-3)).toBeLessThan(1e-3);
  });
});
