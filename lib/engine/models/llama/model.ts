/**
 * Llama-family forward pass (Llama, Mistral, Qwen2) over a batch of rows,
 * written top to bottom like llama2.c's forward(). The products, norms,
 * feed-forward and attention run on the model's kernel backend, chosen when
 * the model is built. All buffers live in the session (or the backend) and
 * are allocated once; the loop allocates nothing.
 */
import { check } from "@/lib/engine/errors";
import { createKernels } from "@/lib/engine/kernels/backend/create";
import type { Embedding, FeedForward, KernelBackend, KernelOptions, Product, ProductGroup } from "@/lib/engine/kernels/backend/types";
import { addBias, addInPlace } from "@/lib/engine/kernels/embedding";
import type { KvCache } from "@/lib/engine/kernels/kv-cache";
import { ropeFromTable, ropeTable } from "@/lib/engine/kernels/rope";
import { checkRows } from "../check-rows";
import type { ModelConfig } from "../config";
import type { CausalLM, Session } from "../types";
import type { LlamaWeights } from "./weights";
import { llamaMatrices, ownLlamaVectors } from "./weights";

/**
 * Rows per forward() beyond the number of slots: the prefill chunk size. Each
 * chunk streams every weight once, so bigger chunks cut weight traffic per
 * prompt token (for SmolLM2-135M F32, 540 MB per chunk); 64 rows cost a
 * (64, vocab) logits buffer per session (12.6 MB at vocab 49152).
 */
const PREFILL_CHUNK = 64;

/** One layer's ops on the backend: q, k, v = rmsnorm(x) @ Wq, Wk, Wv; attOut @ Wo; the SwiGLU feed-forward on rmsnorm(x). */
interface LayerOps {
  qkv: ProductGroup;
  wo: Product;
  ffn: FeedForward;
}

/** A Llama-family model: config, weights and the kernels that run them; sessions hold the KV cache. */
export class LlamaModel implements CausalLM {
  readonly kernels: KernelBackend;
  readonly embed: Embedding;
  readonly layers: readonly LayerOps[];
  readonly output: Product;

  /** Takes `weights` (their matrices move into the backend's memory); `kernels` chooses the backend (default: the best the host supports). */
  constructor(
    readonly config: ModelConfig,
    readonly weights: LlamaWeights,
    kernels: KernelOptions = {},
  ) {
    const { matrices, groups } = llamaMatrices(weights);
    const k = (this.kernels = createKernels(kernels, matrices, groups));
    if (k.movedWeights) ownLlamaVectors(weights);
    const eps = config.normEps;
    this.embed = k.embedding(weights.tokenEmbedding);
    this.layers = weights.layers.map((L) => ({
      qkv: k.products([L.wq, L.wk, L.wv], { w: L.attnNorm, eps }),
      wo: k.product(L.wo),
      ffn: k.feedForward(L.wGate, L.wUp, L.wDown, { w: L.ffnNorm, eps }),
    }));
    this.output = k.product(weights.output);
  }

  createSession(opts: { slots: number; contextLength?: number }): Session {
    return new LlamaSession(this, opts.slots, opts.contextLength ?? this.config.maxSeqLen);
  }
}

class LlamaSession implements Session {
  readonly maxRows: number;
  private readonly cache: KvCache;
  // Activations, R = maxRows: x, xb, xb2 (R, dim); q, attOut (R, qDim); k, v (R, kvDim); logits (R, vocab).
  private readonly x: Float32Array;
  private readonly xb: Float32Array;
  private readonly xb2: Float32Array;
  private readonly q: Float32Array;
  private readonly attOut: Float32Array;
  private readonly k: Float32Array;
  private readonly v: Float32Array;
  /** cos, sin of each row's RoPE angles for the current forward (ropeTable). */
  private readonly ropeCs: Float64Array;
  private readonly logits: Float32Array;
  // the q, k, v group's outputs, listed once so forward() allocates nothing
  private readonly qkvOut: Float32Array[];

  constructor(
    private readonly model: LlamaModel,
    readonly slots: number,
    readonly contextLength: number,
  ) {
    const c = model.config;
    check(Number.isInteger(slots) && slots >= 1, `session: slots must be a positive integer, got ${slots}`);
    check(
      Number.isInteger(contextLength) && contextLength >= 1 && contextLength <= c.maxSeqLen,
      `session: contextLength must be in [1, ${c.maxSeqLen}], got ${contextLength}`,
    );
    const R = (this.maxRows = Math.max(slots, PREFILL_CHUNK));
    const qDim = c.nHeads * c.headDim;
    const kvDim = c.nKvHeads * c.headDim;
    this.cache = model.kernels.kvCache(c.nLayers, slots, contextLength, c, R);
    this.x = new Float32Array(R * c.dim);
    this.xb = new Float32Array(R * c.dim);
    this.xb2 = new Float32Array(R * c.dim);
    this.q = new Float32Array(R * qDim);
    this.attOut = new Float32Array(R * qDim);
    this.k = new Float32Array(R * kvDim);
    this.v = new Float32Array(R * kvDim);
    this.ropeCs = new Float64Array(R * c.headDim);
    this.logits = new Float32Array(R * c.vocabSize);
    this.qkvOut = [this.q, this.k, this.v];
  }

  copySlot(src: number, dst: number, nPos: number): void {
    this.cache.copySlot(src, dst, nPos);
  }

  forward(tokens: Int32Array, slots: Int32Array, positions: Int32Array, B: number, want: "all" | "last" | "none"): Float32Array {
    const m = this.model;
    const c = m.config;
    const w = m.weights;
    checkRows(tokens, slots, positions, B, this.maxRows, this.slots, this.contextLength, c.vocabSize);
    const { x, xb, xb2, q, attOut, k, v, cache } = this;
    const dim = c.dim;
    const hd = c.headDim;
    const qDim = c.nHeads * hd;
    const kvDim = c.nKvHeads * hd;
    const window = c.slidingWindow;

    // x (B, dim) = token embeddings; every layer rotates q and k by the same angles
    m.embed.run(x, tokens, B);
    ropeTable(this.ropeCs, positions, w.invFreq, B);

    for (let l = 0; l < c.nLayers; l++) {
      const L = w.layers[l];
      const ops = m.layers[l];

      // attention: q, k, v = rmsnorm(x) @ Wq, Wk, Wv (+ biases)
      ops.qkv.run(this.qkvOut, x, B);
      if (L.bq) addBias(q, L.bq, B, qDim);
      if (L.bk) addBias(k, L.bk, B, kvDim);
      if (L.bv) addBias(v, L.bv, B, kvDim);

      // rotate q and k by each row's position, then store k, v in the row's slot
      ropeFromTable(q, this.ropeCs, B, c.nHeads, hd);
      ropeFromTable(k, this.ropeCs, B, c.nKvHeads, hd);
      for (let b = 0; b < B; b++) cache.write(l, slots[b], positions[b], k, b * kvDim, v, b * kvDim);

      // The last layer's K/V are stored; past them a row only feeds its own logits. So a
      // prefill chunk stops here ("none"), or goes on with its last row alone, moved to row 0 ("last").
      let rowSlots = slots, rowPositions = positions;
      if (l === c.nLayers - 1 && want !== "all") {
        if (want === "none") return this.logits.subarray(0, 0);
        q.copyWithin(0, (B - 1) * qDim, B * qDim);
        x.copyWithin(0, (B - 1) * dim, B * dim);
        [rowSlots, rowPositions] = [slots.subarray(B - 1, B), positions.subarray(B - 1, B)];
        B = 1;
      }

      // attOut (B, qDim): each row attends to positions start..pos of its own slot
      // (start = 0, or pos - window + 1 under Mistral's sliding window)
      cache.attend(attOut, q, qDim, l, rowSlots, rowPositions, B, window);

      // x += attOut @ Wo
      ops.wo.run(xb2, attOut, B);
      addInPlace(x, xb2, B * dim);

      // feed-forward: x += (silu(x' @ Wgate) * (x' @ Wup)) @ Wdown, x' = rmsnorm(x)
      ops.ffn.run(xb2, x, B);
      addInPlace(x, xb2, B * dim);
    }

    // logits (rows, vocab) = rmsnorm(x) @ Wout: for "last", B is 1 here (the last layer narrowed it)
    m.kernels.rmsnorm(xb, x, w.finalNorm, B, dim, c.normEps);
    m.output.run(this.logits, xb, B);
    return this.logits.subarray(0, B * c.vocabSize);
  }

  // xb still holds the final-norm rows the logits were computed from.
  hidden(out: Float32Array, row: number): void {
    const dim = this.model.config.dim;
    out.set(this.xb.subarray(row * dim, (row + 1) * dim));
  }
}
