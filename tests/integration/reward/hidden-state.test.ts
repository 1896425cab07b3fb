import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { loadModelFromPath } from "@/lib/model-files/load";
import { openFeaturizer } from "@/lib/model-files/features";
import { writeTinyModel } from "../../support/tiny-model";

let dir: string;
beforeAll(() => {
  dir = writeTinyModel();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("Session.hidden (reward-model features)", () => {
  it("is the final-norm state the logits are computed from: logits = hidden @ Eᵀ for the tied tiny model", async () => {
    const { model } = await loadModelFromPath(dir);
    const E = tensorToFloat32(readSafetensors(fs.readFileSync(path.join(dir, "model.safetensors"))).tensors.get("model.embed_tokens.weight")!);
    const { dim, vocabSize } = model.config;
    const session = model.createSession({ slots: 1, contextLength: 32 });
    const ids = Int32Array.from([5, 17, 42, 9, 100]);
    const n = ids.length;
    const logits = session.forward(ids, new Int32Array(n), Int32Array.from({ length: n }, (_, i) => i), n, "all").slice();
    const h = new Float32Array(dim);
    for (let r = 0; r < n; r++) {
      session.hidden!(h, r);
      // W_out (vocab, dim) @ h (dim) -> logits (vocab), checked on a few rows of the vocabulary.
      for (const v of [0, 1, 77, vocabSize - 1]) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += E[v * dim + d] * h[d];
        expect(dot).toBeCloseTo(logits[r * vocabSize + v], 4);
      }
    }
    // "last" gives the same state for the last row as "all" did.
    const all = new Float32Array(dim);
    session.hidden!(all, n - 1);
    const again = model.createSession({ slots: 1, contextLength: 32 });
    again.forward(ids, new Int32Array(n), Int32Array.from({ length: n }, (_, i) => i), n, "last");
    const last = new Float32Array(dim);
    again.hidden!(last, 0);
    for (let d = 0; d < dim; d++) expect(last[d]).toBeCloseTo(all[d], 5);
  });

  it("reads the end-of-turn token, not the template's trailing newline after it", async () => {
    const f = await openFeaturizer(dir);
    const { tokenizer } = await loadModelFromPath(dir);
    const ids = f.tokens([{ role: "user", content: "Hi" }], "Hello there  ");
    expect(ids.at(-1)).toBe(tokenizer!.tokenToId("<|im_end|>"));
    // The full template does end in a newline; only that is dropped.
    const full = tokenizer!.encode(tokenizer!.applyChatTemplate([{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello there  " }]), { addSpecialTokens: false });
    expect(tokenizer!.decode(full.slice(ids.length))).toBe("\n");
  });

  it("featurizes a conversation deterministically and tells completions apart", async () => {
    const f = await openFeaturizer(dir);
    const prompt = [{ role: "user", content: "What is 17 + 25?" }];
    const a = f.featurize(prompt, "The answer is 42.");
    expect(a).toHaveLength(f.dim);
    expect([...f.featurize(prompt, "The answer is 42.")]).toEqual([...a]);
    expect([...f.featurize(prompt, "Hello world.")]).not.toEqual([...a]);
  });
});
