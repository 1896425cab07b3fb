import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { runConvert } from "@/cli/commands/convert";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import { randomLlama } from "./golden/random-model";

const dir = mkdtempSync(path.join(tmpdir(), "cli-convert-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const m = randomLlama({ arch: "LlamaForCausalLM", dim: 256, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 256, vocab: 300, ctx: 64, tied: false, seed: 41 });
const f32File = path.join(dir, "m.f32.gguf");
writeFileSync(f32File, ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(300), dtype: "F32", name: "hf" }));
const hfDir = path.join(dir, "hf");
mkdirSync(hfDir);
writeFileSync(path.join(hfDir, "config.json"), JSON.stringify(m.config));
writeFileSync(
  path.join(hfDir, "model.safetensors"),
  writeSafetensors([...m.tensors.values()].map((t) => ({ name: t.name, shape: t.shape, data: tensorToFloat32(t) }))),
);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (out += a.join(" ") + "\n"));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += a.join(" ") + "\n"));
  const code = await runConvert(args);
  vi.restoreAllMocks();
  return { code, out, err };
}

/** name -> [dtype, bytes] of a GGUF file's tensors. */
function tensorsOf(bytes: Uint8Array): Map<string, [string, Buffer]> {
  return new Map([...readGguf(bytes).tensors].map(([n, t]) => [n, [t.dtype, Buffer.from(t.bytes)]]));
}

describe("studio convert", () => {
  const expected = tensorsOf(ggufFromHf(m.config, m.tensors, { vocab: byteFallbackVocab(300), dtype: "Q4_K_M" }));

  it("--to q4_k_m from an F32 .gguf writes the Q4_K_M tensors ggufFromHf writes, and says what it wrote", async () => {
    const out = path.join(dir, "a.gguf");
    const res = await cli(["--model", f32File, "--out", out, "--to", "q4_k_m"]);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/Wrote .*a\.gguf \(Q4_K_M, [\d.]+ MiB, tensors: 13 Q4_K, 5 F32, 3 Q6_K\)/);
    const file = readGguf(readFileSync(out));
    expect(file.metadata["general.file_type"]).toBe(15);
    expect(tensorsOf(readFileSync(out))).toEqual(expected);
  });

  it("--to q4_k_m from a Hugging Face folder writes the same tensors", async () => {
    const out = path.join(dir, "b.gguf");
    const res = await cli(["--model", hfDir, "--out", out, "--to", "q4_k_m"]);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/placeholder byte-fallback vocabulary/);
    expect(tensorsOf(readFileSync(out))).toEqual(expected);
  });

  it.each([
    ["q6_k", 18, ["Q6_K"]],
    ["q8_0", 7, ["Q8_0"]],
    ["f16", 1, ["F16"]],
    ["f32", 0, []],
  ] as const)("--to %s writes general.file_type %i and its matrices as that type", async (to, id, matrixTypes) => {
    const out = path.join(dir, `${to}.gguf`);
    expect((await cli(["--model", f32File, "--out", out, "--to", to])).code).toBe(0);
    const file = readGguf(readFileSync(out));
    expect(file.metadata["general.file_type"]).toBe(id);
    const types = new Set([...file.tensors.values()].filter((t) => t.shape.length === 2).map((t) => t.dtype));
    expect([...types]).toEqual(matrixTypes.length ? matrixTypes : ["F32"]);
  });

  it("refuses an unknown --to, a missing --model and an --out that is not .gguf, listing the choices", async () => {
    const bad = await cli(["--model", f32File, "--out", path.join(dir, "x.gguf"), "--to", "q3_k"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--to: must be one of f32, f16, q8_0, q4_k_m, q6_k/);
    expect((await cli(["--out", path.join(dir, "x.gguf"), "--to", "f16"])).err).toMatch(/--model: is required/);
    expect((await cli(["--model", f32File, "--out", path.join(dir, "x.bin"), "--to", "f16"])).err).toMatch(/--out: must name a \.gguf file/);
  });

  it("refuses to quantize an already quantized file, naming the tensor, and leaves no file behind", async () => {
    const q = path.join(dir, "q.gguf");
    expect((await cli(["--model", f32File, "--out", q, "--to", "q8_0"])).code).toBe(0);
    const out = path.join(dir, "requantized.gguf");
    await expect(cli(["--model", q, "--out", out, "--to", "q4_k_m"])).rejects.toThrow(/q\.gguf: tensor "token_embd\.weight" is already Q8_0; convert from the F32, F16 or BF16 file/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  });

  it("refuses a missing input and an output that would overwrite the input", async () => {
    await expect(cli(["--model", path.join(dir, "nope"), "--out", path.join(dir, "y.gguf"), "--to", "f16"])).rejects.toThrow(/nope: no such file or folder/);
    await expect(cli(["--model", f32File, "--out", f32File, "--to", "f16"])).rejects.toThrow(/the output would overwrite the input/);
  });
});
