import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parseSftJsonl, runSft } from "@/cli/commands/sft";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { hfModelFiles } from "@/lib/train/export-hf";
import { paramsFromTensors } from "@/lib/train/hf-import";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { createRng } from "@/lib/numerics/rng";
import { generateCorpus } from "@/lib/tasks";

describe("parseSftJsonl", () => {
  it("reads prompt/response and prompt/chosen records as one user turn, skipping blank lines", () => {
    const text = '{"prompt":"a","response":"b"}\n\n{"prompt":"c","chosen":"d","rejected":"e"}\n';
    expect(parseSftJsonl(text)).toEqual([
      { messages: [{ role: "user", content: "a" }], response: "b" },
      { messages: [{ role: "user", content: "c" }], response: "d" },
    ]);
  });

  it("keeps a conversational record's messages and takes its chosen assistant message as the target", () => {
    const prompt = [{ role: "system", content: "s" }, { role: "user", content: "q" }];
    const line = JSON.stringify({ prompt, chosen: [{ role: "assistant", content: "a" }], rejected: [{ role: "assistant", content: "b" }] });
    expect(parseSftJsonl(line)).toEqual([{ messages: prompt, response: "a" }]);
    expect(() => parseSftJsonl(JSON.stringify({ prompt, chosen: [{ role: "user", content: "a" }] }))).toThrow(/line 1: chosen/);
  });

  it("names the line of invalid JSON", () => {
    expect(() => parseSftJsonl('{"prompt":"a","response":"b"}\n{oops', "pairs.jsonl")).toThrow("pairs.jsonl line 2: not valid JSON");
  });

  it("names the line and the problem of a record without a target", () => {
    expect(() => parseSftJsonl('{"prompt":"a","response":"b"}\n{"prompt":"a"}')).toThrow(/line 2: needs a response or chosen field/);
    expect(() => parseSftJsonl('{"prompt":3,"response":"b"}')).toThrow(/line 1: prompt: /);
  });
});

describe("runSft", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("fine-tunes an exported model folder and writes a loadable one that differs from the input", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sft-test-"));
    const bpe = trainBpe(generateCorpus(2, 300).flatMap((x) => [x.prompt, x.response]), 100);
    const config: LlamaTrainConfig = {
      vocabSize: vocabSize(bpe), dim: 16, nLayers: 1, nHeads: 2, nKvHeads: 1, hiddenDim: 24, maxSeqLen: 64, ropeTheta: 10000, normEps: 1e-5, tieEmbeddings: true,
    };
    const params = initParams(config, createRng(1), new Float32Array(paramCount(config))) as Float32Array;
    const ids = { endOfText: bpe.special.get("<|endoftext|>")!, imStart: bpe.special.get("<|im_start|>")!, imEnd: bpe.special.get("<|im_end|>")! };
    const modelDir = path.join(dir, "in");
    await mkdir(modelDir);
    for (const [name, content] of hfModelFiles(config, params, toTokenizerJson(bpe), ids)) await writeFile(path.join(modelDir, name), content);
    const data = path.join(dir, "pairs.jsonl");
    await writeFile(data, generateCorpus(9, 20).map((x) => JSON.stringify({ prompt: x.prompt, response: x.response })).join("\n"));

    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const code = await runSft(["--model", modelDir, "--data", data, "--out", path.join(dir, "out"), "--steps", "20", "--batch", "4", "--lr", "5e-3"]);
    const lines = log.mock.calls.map((c) => String(c[0]));
    log.mockRestore();
    expect(code).toBe(0);
    const losses = lines.filter((l) => l.startsWith("step ")).map((l) => Number(/loss ([\d.]+)/.exec(l)![1]));
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]!);
    const out = readSafetensors(await readFile(path.join(dir, "out", "model.safetensors"))).tensors;
    const tuned = paramsFromTensors(config, out);
    expect(tuned.some((v, i) => v !== params[i])).toBe(true);
  });

  it("exits 2 with the line number when the data has a bad line", async () => {
    const bad = path.join(dir || tmpdir(), "bad.jsonl");
    await writeFile(bad, '{"prompt":"a","response":"b"}\nnot json\n');
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const code = await runSft(["--model", "unused", "--data", bad, "--out", "unused"]);
    const msg = String(err.mock.calls[0]?.[0]);
    err.mockRestore();
    expect(code).toBe(2);
    expect(msg).toMatch(/bad\.jsonl line 2: not valid JSON/);
  });

  it("exits 2 with usage when a required flag is missing", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runSft(["--model", "x"])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/usage: sft --model DIR --data pairs.jsonl --out DIR/);
    err.mockRestore();
  });
});
