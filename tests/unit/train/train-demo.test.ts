import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runTrainDemo } from "@/cli/commands/train-demo";
import { deserializeCheckpoint } from "@/lib/train/checkpoint";

// Tiny shapes so the whole command (data, BPE, training, export, eval) runs in seconds.
const TINY = ["--corpus-size", "300", "--merges", "40", "--dim", "16", "--layers", "1", "--heads", "2", "--kv-heads", "1", "--hidden", "24",
  "--threads", "1", "--eval-per-family", "1", "--samples", "2", "--warmup", "2", "--batch", "4", "--log-every", "2"];

async function quiet(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const code = await runTrainDemo(argv);
    return { code, out: log.mock.calls.map((c) => String(c[0])), err: error.mock.calls.map((c) => String(c[0])) };
  } finally {
    log.mockRestore();
    warn.mockRestore();
    error.mockRestore();
  }
}

describe("train-demo command", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "train-demo-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("trains, checkpoints, and writes an HF folder with a model card", async () => {
    const dataDir = path.join(dir, "a");
    const out = path.join(dir, "a-model");
    const r = await quiet([...TINY, "--steps", "6", "--data-dir", dataDir, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.out.some((l) => /^step 6\/6 \| loss [\d.]+ \| .* tok\/s \| .*ETA/.test(l))).toBe(true);
    for (const f of ["model.safetensors", "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "README.md"]) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const card = await readFile(path.join(out, "README.md"), "utf8");
    expect(card).toContain("npm run train:demo -- --steps 6");
    expect(card).toMatch(/\| arithmetic \| 1 \| \d+% \| \d+% \| \d+% \|/);
    expect(deserializeCheckpoint(await readFile(path.join(dataDir, "checkpoint.bin"))).header.step).toBe(6);
  });

  it("resumes from the checkpoint and refuses a changed model shape", async () => {
    const dataDir = path.join(dir, "b");
    const out = path.join(dir, "b-model");
    expect((await quiet([...TINY, "--steps", "3", "--data-dir", dataDir, "--out", out])).code).toBe(0);
    const again = await quiet([...TINY, "--steps", "5", "--data-dir", dataDir, "--out", out]);
    expect(again.code).toBe(0);
    expect(again.out.some((l) => l.includes("resuming from") && l.includes("at step 3"))).toBe(true);
    expect(again.out.some((l) => l.startsWith("step 4/5"))).toBe(true);
    const card = await readFile(path.join(out, "README.md"), "utf8");
    expect(card).toMatch(/Resumed.*steps 1–3 with --steps 3.*steps 4–5 with --steps 5/);
    const changed = await quiet([...TINY.map((a) => (a === "16" ? "32" : a)), "--steps", "6", "--data-dir", dataDir, "--out", out]);
    expect(changed.code).toBe(2);
    expect(changed.err.join("\n")).toMatch(/--dim 32 differs from the checkpoint \(16\)/);
  });

  it("stops with a clear message when the loss diverges and keeps the last good checkpoint", async () => {
    const dataDir = path.join(dir, "c");
    const r = await quiet([...TINY, "--steps", "50", "--lr", "1e30", "--min-lr", "1e30", "--clip", "0", "--save-every", "1", "--data-dir", dataDir, "--out", path.join(dir, "c-model")]);
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toMatch(/became (NaN|Infinity) at step \d+.*Last good checkpoint/);
    const ck = deserializeCheckpoint(await readFile(path.join(dataDir, "checkpoint.bin")));
    expect(ck.header.lossHistory.every(Number.isFinite)).toBe(true);
    expect(existsSync(path.join(dir, "c-model"))).toBe(false);
  });

  it("rejects a malformed flag with exit code 2", async () => {
    const r = await quiet(["--steps", "ten"]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/--steps must be a whole number, got ten/);
  });
});
