import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runGenerate } from "@/cli/commands/generate";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import { modelFromHf } from "@/lib/engine/models/load";
import { plainTextIds, promptIds } from "@/lib/engine/tokenizer/conversation";
import { loadModelFromPath } from "@/lib/model-files/load";
import { writeTinyModel } from "../../support/tiny-model";
import { engineGreedy } from "./golden/compare";
import { randomLlama } from "./golden/random-model";

const dir = mkdtempSync(path.join(tmpdir(), "cli-generate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const m = randomLlama({ arch: "LlamaForCausalLM", dim: 32, nLayers: 1, nHeads: 4, nKvHeads: 2, hidden: 64, vocab: 300, ctx: 64, tied: false, seed: 31 });
const file = path.join(dir, "m.gguf");
writeFileSync(file, ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(300), dtype: "F32" }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (out += a.join(" ") + "\n"));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += a.join(" ") + "\n"));
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const code = await runGenerate(args);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe("studio generate", () => {
  it("--temperature 0 --json prints the greedy completion for each of -n sequences", async () => {
    const { code, out } = await cli(["--model", file, "--prompt-ids", "1,7,8", "--temperature", "0", "--max-new-tokens", "6", "-n", "2", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    const ref = engineGreedy(modelFromHf(m.config, m.tensors), [1, 7, 8], 6).ids;
    expect(json.completions).toHaveLength(2);
    expect(json.completions[0].ids.slice(0, 6)).toEqual(ref.slice(0, json.completions[0].ids.length));
    expect(json.completions[0].logprobs).toHaveLength(json.completions[0].tokenCount);
    expect(json.promptIds).toEqual([1, 7, 8]);
  });

  it("gives each of -n sampled completions its own seed", async () => {
    const { out } = await cli(["--model", file, "--prompt-ids", "1", "--temperature", "1.5", "--max-new-tokens", "12", "-n", "3", "--seed", "5", "--json"]);
    const ids = JSON.parse(out).completions.map((c: { ids: number[] }) => c.ids.join());
    expect(new Set(ids).size).toBeGreaterThan(1);
  });

  it("prints text, ids and tokens/s without --json", async () => {
    const { code, out } = await cli(["--model", file, "--prompt", "hi", "--temperature", "0", "--max-new-tokens", "4", "--print-ids"]);
    expect(code).toBe(0);
    expect(out).toMatch(/--- completion 1\/1 \((length|stop), \d+ tokens\) ---/);
    expect(out).toMatch(/ids: \d+/);
    expect(out).toMatch(/tokens\/s/);
  });

  it("encodes --prompt as plain text, --chat as one user turn and --messages as the chat, through the model's template", async () => {
    const chatModel = writeTinyModel(path.join(dir, "tiny-chat"));
    const tokenizer = (await loadModelFromPath(chatModel)).tokenizer!;
    const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: "What is 17 + 25?" }];
    const messagesFile = path.join(dir, "messages.json");
    writeFileSync(messagesFile, JSON.stringify(messages));
    const ids = async (args: string[]) => {
      const { code, out, err } = await cli(["--model", chatModel, ...args, "--temperature", "0", "--max-new-tokens", "2", "--json"]);
      expect(code, err).toBe(0);
      return JSON.parse(out).promptIds as number[];
    };
    expect(await ids(["--prompt", "What is"])).toEqual(plainTextIds(tokenizer, "What is"));
    expect(await ids(["--prompt", "What is", "--chat"])).toEqual(promptIds(tokenizer, [{ role: "user", content: "What is" }]));
    const chat = promptIds(tokenizer, messages);
    expect(tokenizer.decode(chat)).toBe("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is 17 + 25?<|im_end|>\n<|im_start|>assistant\n");
    expect(await ids(["--messages", JSON.stringify(messages)])).toEqual(chat);
    expect(await ids(["--messages", messagesFile])).toEqual(chat);
  });

  it.each([
    [["--prompt-ids", "1"], /--model is required/],
    [["--model", "x.gguf"], /exactly one of --prompt, --messages or --prompt-ids/],
    [["--model", "x.gguf", "--prompt", "a", "--messages", "[]"], /exactly one of --prompt, --messages or --prompt-ids/],
    [["--model", "x.gguf", "--prompt-ids", "1", "--chat"], /--chat applies to --prompt/],
    [["--model", "x.gguf", "--messages", '[{"role":"user"}]'], /--messages\[0\]\["content"\]: /],
    [["--model", "x.gguf", "--messages", "[oops"], /--messages must be JSON/],
    [["--model", "x.gguf", "--messages", "no-such-file.json"], /--messages: cannot read no-such-file.json/],
    [["--model", "x.gguf", "--prompt-ids", "1,a"], /got "a" at position 2/],
    [["--model", "x.gguf", "--prompt-ids", "1", "--temperature", "hot"], /--temperature must be a number, got "hot"/],
    [["--model", "x.gguf", "--prompt-ids", "1", "--top-p", "1.5", "--temperature", "1"], /top_p/],
    [["--model", "x.gguf", "--prompt-ids", "1", "--wat"], /Unknown option '--wat'/],
  ])("exits 2 with a clear message for bad flags %j", async (args, message) => {
    const { code, err } = await cli(args as string[]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it("exits 1 naming the file when the model cannot be loaded", async () => {
    const { code, err } = await cli(["--model", path.join(dir, "missing.gguf"), "--prompt-ids", "1"]);
    expect(code).toBe(1);
    expect(err).toMatch(/missing.gguf: no such file or folder/);
  });
});
