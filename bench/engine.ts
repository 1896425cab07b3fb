/**
 * Engine vs llama.cpp on random-weight models of two real shapes, in one run:
 * prefill tok/s (64-token prompt; median of 7 runs, both sides), decode tok/s (128 new tokens) for 1 sequence
 * and for 4 sequences sharing the prompt, plus the engine's memory after load.
 *   npx tsx bench/engine.ts [--json] [--quick] [--ts] [--attn]
 * --quick: stories15M only, 32 new tokens. --ts: also time the TypeScript backend.
 * --attn: also time the engine with WASM products but the TypeScript attention (wasmAttention: false; same run).
 * The engine is loaded once per kernel choice (threads off, then on: an option of the model).
 * Both sides read the same GGUF file (F32 and Q8_0), written by the engine's writer.
 * Figures only; nothing here is asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { generate } from "@/lib/engine/generate";
import { prefill } from "@/lib/engine/generate-steps";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import type { KernelOptions } from "@/lib/engine/kernels/backend/types";
import { modelFromGguf } from "@/lib/engine/models/load";
import type { CausalLM } from "@/lib/engine/models/types";
import { DEFAULT_DECODING_CONFIG } from "@/lib/engine/sampling";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import type { Llama, Token } from "node-llama-cpp";
import { getLlama } from "node-llama-cpp";

interface Shape { name: string; dim: number; nLayers: number; nHeads: number; nKvHeads: number; hidden: number; vocab: number }
const SMOLLM: Shape = { name: "SmolLM2-135M", dim: 576, nLayers: 30, nHeads: 9, nKvHeads: 3, hidden: 1536, vocab: 49152 };
const STORIES: Shape = { name: "stories15M", dim: 288, nLayers: 6, nHeads: 6, nKvHeads: 6, hidden: 768, vocab: 32000 };

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const PROMPT_LEN = 64;
const NEW_TOKENS = quick ? 32 : 128;
const SEQS = [1, 4];

v8.setFlagsFromString("--expose_gc");
const gc = vm.runInNewContext("gc") as () => void;
const now = () => performance.now() / 1000;

/** Seeded uniform values with standard deviation `std` (xorshift32; fast enough for 135M weights). */
function filler(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number, std: number, mean = 0): Float32Array => {
    const out = new Float32Array(n);
    const k = std * Math.sqrt(3) * 2 / 4294967296;
    for (let i = 0; i < n; i++) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      out[i] = mean + ((s >>> 0) - 2147483648) * k;
    }
    return out;
  };
}

/** A tied random Llama in HF layout: config.json object + F32 tensors. */
function randomModel(sh: Shape, seed: number): { config: Record<string, unknown>; tensors: Map<string, RawTensor> } {
  const fill = filler(seed);
  const hd = sh.dim / sh.nHeads;
  const tensors = new Map<string, RawTensor>();
  const add = (name: string, shape: number[], std: number, mean = 0) => {
    const d = fill(shape.reduce((a, b) => a * b, 1), std, mean);
    tensors.set(name, { name, dtype: "F32", shape, bytes: new Uint8Array(d.buffer) });
  };
  add("model.embed_tokens.weight", [sh.vocab, sh.dim], 1);
  for (let i = 0; i < sh.nLayers; i++) {
    const p = `model.layers.${i}.`;
    const a = 1 / Math.sqrt(sh.dim);
    add(p + "input_layernorm.weight", [sh.dim], 0.1, 1);
    add(p + "self_attn.q_proj.weight", [sh.nHeads * hd, sh.dim], a);
    add(p + "self_attn.k_proj.weight", [sh.nKvHeads * hd, sh.dim], a);
    add(p + "self_attn.v_proj.weight", [sh.nKvHeads * hd, sh.dim], a);
    add(p + "self_attn.o_proj.weight", [sh.dim, sh.nHeads * hd], a);
    add(p + "post_attention_layernorm.weight", [sh.dim], 0.1, 1);
    add(p + "mlp.gate_proj.weight", [sh.hidden, sh.dim], a);
    add(p + "mlp.up_proj.weight", [sh.hidden, sh.dim], a);
    add(p + "mlp.down_proj.weight", [sh.dim, sh.hidden], 1 / Math.sqrt(sh.hidden));
  }
  add("model.norm.weight", [sh.dim], 0.1, 1);
  const config = {
    architectures: ["LlamaForCausalLM"], hidden_size: sh.dim, intermediate_size: sh.hidden, num_hidden_layers: sh.nLayers,
    num_attention_heads: sh.nHeads, num_key_value_heads: sh.nKvHeads, vocab_size: sh.vocab, max_position_embeddings: 2048,
    rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true, bos_token_id: 1, eos_token_id: 2, hidden_act: "silu",
  };
  return { config, tensors };
}

interface Mem { rss: number; heap: number; external: number; wasm: number }

/** Memory after a full GC; the pause lets FinalizationRegistry callbacks free collected arenas' memory first. */
async function mem(): Promise<Mem> {
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external, wasm: 0 };
}

/** Not inlined in the async loader: a suspended async frame can keep its temporaries (the file) alive. */
function readModel(file: string, kernels: KernelOptions): CausalLM {
  return modelFromGguf(readGguf(readFileSync(file)), { kernels });
}

/** Loads the GGUF file on the given kernels; memory deltas are taken after the file's bytes are dropped. */
async function loadEngine(file: string, kernels: KernelOptions = {}): Promise<{ model: CausalLM; delta: Mem }> {
  const before = await mem();
  const model = readModel(file, kernels);
  const after = await mem();
  const wasm = model.kernels.memoryBytes();
  return { model, delta: { rss: after.rss - before.rss, heap: after.heap - before.heap, external: after.external - before.external, wasm } };
}

interface Figures { prefill: number; decode: Map<number, number> }

/** Prefill runs are short (a few ms for stories15M) and vary 1.5x here: the median tok/s of PREFILL_RUNS timed runs. */
const PREFILL_RUNS = 7;
async function medianTps(tokens: number, run: () => unknown, resetUntimed?: () => Promise<void>): Promise<number> {
  const tps: number[] = [];
  for (let r = 0; r < PREFILL_RUNS; r++) {
    const t0 = now();
    await run();
    tps.push(tokens / (now() - t0));
    await resetUntimed?.();
  }
  return tps.sort((a, b) => a - b)[PREFILL_RUNS >> 1];
}

async function runEngine(model: CausalLM, prompt: number[]): Promise<Figures> {
  const s = model.createSession({ slots: 1, contextLength: PROMPT_LEN + NEW_TOKENS });
  prefill(s, prompt, 0); // warm-up (JIT, scratch growth)
  const pre = await medianTps(PROMPT_LEN, () => prefill(s, prompt, 0));
  const decode = new Map<number, number>();
  for (const K of SEQS) {
    const configs = Array.from({ length: K }, (_, k) => ({ ...DEFAULT_DECODING_CONFIG, temperature: 0, maxNewTokens: NEW_TOKENS, seed: k }));
    let start = 0, tokens = 0;
    // time from the first sampled token (prefill done) to the last: K * (N - 1) batched-forward rows
    for await (const ev of generate({ model, promptIds: prompt, configs, eosIds: [] })) {
      if (ev.type !== "token") continue;
      if (tokens++ === 0) start = now();
    }
    decode.set(K, (tokens - K) / (now() - start));
  }
  return { prefill: pre, decode };
}

/**
 * The engine loaded on 1 thread, then with the helper thread (2), one model at
 * a time; the better of the two per figure, as for llama.cpp.
 */
async function runEngineBest(file: string, prompt: number[], kernels: KernelOptions = {}): Promise<Figures & { threadsNote: string }> {
  const best: Figures = { prefill: 0, decode: new Map() };
  const used = new Map<string, number>();
  for (const threads of [1, 2]) {
    const f = await runEngine((await loadEngine(file, { ...kernels, threads: threads === 2 })).model, prompt);
    gc();
    if (f.prefill > best.prefill) used.set("prefill", threads);
    best.prefill = Math.max(best.prefill, f.prefill);
    for (const [K, tps] of f.decode) {
      if (tps > (best.decode.get(K) ?? 0)) used.set(`decode${K}`, threads);
      best.decode.set(K, Math.max(tps, best.decode.get(K) ?? 0));
    }
  }
  return { ...best, threadsNote: [...used].map(([k, t]) => `${k}:${t}`).join(" ") };
}

let llamaPromise: Promise<Llama> | null = null;

/**
 * The same figures from llama.cpp (node-llama-cpp, CPU): 1 and 2 threads, the
 * better of the two per figure. Decode: K sequences of one context, each fed the
 * prompt but its last token beforehand (untimed; llama.cpp sequences don't share
 * a prefill here), then K concurrent evaluate() streams, which node-llama-cpp
 * batches into one decode call per step; N forwards per sequence.
 */
async function llamaCppRun(file: string, ids: number[]): Promise<Figures & { threadsNote: string }> {
  const prompt = ids as Token[];
  llamaPromise ??= getLlama({ gpu: false, build: "never", logLevel: "error" as never });
  const llama = await llamaPromise;
  const model = await llama.loadModel({ modelPath: file });
  const best: Figures = { prefill: 0, decode: new Map() };
  const used = new Map<string, number>();
  const keep = (label: string, threads: number, tps: number, old: number) => {
    if (tps > old) used.set(label, threads);
    return Math.max(tps, old);
  };
  try {
    for (const threads of [1, 2]) {
      const ctx = await model.createContext({ contextSize: 4 * (PROMPT_LEN + NEW_TOKENS + 8), sequences: 4, threads });
      try {
        const seqs = Array.from({ length: 4 }, () => ctx.getSequence());
        await seqs[0].evaluateWithoutGeneratingNewTokens(prompt); // warm-up
        await seqs[0].clearHistory();
        const pre = await medianTps(PROMPT_LEN, () => seqs[0].evaluateWithoutGeneratingNewTokens(prompt), () => seqs[0].clearHistory());
        best.prefill = keep("prefill", threads, pre, best.prefill);
        for (const K of SEQS) {
          for (const s of seqs.slice(0, K)) await s.evaluateWithoutGeneratingNewTokens(prompt.slice(0, -1));
          const t1 = now();
          await Promise.all(seqs.slice(0, K).map(async (s) => {
            let n = 0;
            for await (const _tok of s.evaluate([prompt[PROMPT_LEN - 1]], { temperature: 0 })) if (++n >= NEW_TOKENS) break;
          }));
          const tps = (K * NEW_TOKENS) / (now() - t1);
          best.decode.set(K, keep(`decode${K}`, threads, tps, best.decode.get(K) ?? 0));
          for (const s of seqs.slice(0, K)) await s.clearHistory();
        }
      } finally {
        await ctx.dispose();
      }
    }
  } finally {
    await model.dispose();
  }
  return { ...best, threadsNote: [...used].map(([k, t]) => `${k}:${t}`).join(" ") };
}

interface Row {
  model: string; dtype: string; sequences: number; phase: string; engine_tps: number; llamacpp_tps: number | null; ratio: number | null;
  engine_ts_tps?: number; engine_ts_attn_tps?: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-engine-"));
  const rows: Row[] = [];
  const memLines: string[] = [];
  const notes: string[] = [];
  try {
    for (const sh of quick ? [STORIES] : [STORIES, SMOLLM]) {
      const prompt = Array.from({ length: PROMPT_LEN }, (_, i) => 259 + ((i * 7919) % (sh.vocab - 259)));
      let hf: ReturnType<typeof randomModel> | null = randomModel(sh, 1234);
      const files: [string, string, number][] = [];
      for (const dtype of ["F32", "Q8_0"] as const) {
        const bytes = ggufFromHf(hf.config, hf.tensors, { vocab: byteFallbackVocab(sh.vocab), dtype });
        const file = path.join(dir, `${sh.name}-${dtype}.gguf`);
        writeFileSync(file, bytes);
        files.push([dtype, file, bytes.length]);
      }
      hf = null;
      const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
      // memory first, one model at a time, before any of them has run (nothing else holds their memory)
      for (const [dtype, file, size] of files) {
        const { delta } = await loadEngine(file);
        const live = delta.wasm + delta.heap + delta.external;
        memLines.push(`${sh.name} ${dtype}: file ${mb(size)}; live after load ${mb(live)} (${(live / size).toFixed(2)}x) = WASM memory ${mb(delta.wasm)}` +
          ` + heap ${mb(delta.heap)} + external ${mb(delta.external)}; RSS +${mb(delta.rss)} (${(delta.rss / size).toFixed(2)}x)`);
      }
      for (const [dtype, file] of files) {
        console.error(`${sh.name} ${dtype}: timing the engine...`);
        const eng = await runEngineBest(file, prompt);
        notes.push(`${sh.name} ${dtype}: engine threads used (best of 1, 2): ${eng.threadsNote}`);
        const tsAttn = args.has("--attn") ? await runEngineBest(file, prompt, { wasmAttention: false }) : null;
        const ts = args.has("--ts") ? await runEngine((await loadEngine(file, { backend: "typescript" })).model, prompt) : null;
        gc();
        console.error(`${sh.name} ${dtype}: timing llama.cpp...`);
        const ref = await llamaCppRun(file, prompt).catch((e: unknown) => {
          notes.push(`llama.cpp could not run ${sh.name} ${dtype}: ${e instanceof Error ? e.message : String(e)}`);
          return null;
        });
        if (ref) notes.push(`${sh.name} ${dtype}: llama.cpp threads used (best of 1, 2): ${ref.threadsNote}`);
        const push = (sequences: number, phase: string, e: number, r: number | null, t: number | undefined, ta: number | undefined) =>
          rows.push({ model: sh.name, dtype, sequences, phase, engine_tps: e, llamacpp_tps: r, ratio: r ? e / r : null,
            ...(t ? { engine_ts_tps: t } : {}), ...(ta ? { engine_ts_attn_tps: ta } : {}) });
        push(1, "prefill", eng.prefill, ref?.prefill ?? null, ts?.prefill, tsAttn?.prefill);
        for (const K of SEQS) push(K, "decode", eng.decode.get(K)!, ref?.decode.get(K) ?? null, ts?.decode.get(K), tsAttn?.decode.get(K));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.has("--json")) {
    console.log(JSON.stringify({ rows }, null, 2));
    return;
  }
  printTable(rows, memLines, notes);
}

function printTable(rows: Row[], memLines: string[], notes: string[]): void {
  const f = (x: number | null | undefined, d = 1) => (x == null ? "-" : x.toFixed(d));
  const withTs = rows.some((r) => r.engine_ts_tps);
  const withAttn = rows.some((r) => r.engine_ts_attn_tps);
  const head = ["model", "dtype", "seqs", "phase", "engine tok/s", "llama.cpp tok/s", "ratio",
    ...(withTs ? ["engine TS-kernels tok/s"] : []), ...(withAttn ? ["engine TS-attention tok/s"] : [])];
  const body = rows.map((r) => [r.model, r.dtype, String(r.sequences), r.phase, f(r.engine_tps), f(r.llamacpp_tps), f(r.ratio, 2),
    ...(withTs ? [f(r.engine_ts_tps)] : []), ...(withAttn ? [f(r.engine_ts_attn_tps)] : [])]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  console.log(line(head));
  console.log(w.map((n) => "-".repeat(n)).join("  "));
  for (const b of body) console.log(line(b));
  console.log(`\nprompt ${PROMPT_LEN} tokens, ${NEW_TOKENS} new tokens, greedy; decode tok/s counts all sequences' tokens.`);
  console.log("engine memory after load (vs GGUF file size; RSS also counts the freed file buffer until the allocator returns it):");
  for (const m of memLines) console.log("  " + m);
  for (const n of notes) console.log(n);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
