/**
 * Llama-family forward pass (Llama, Mistral, Qwen2) over a batch of rows,
 * written top to bottom like llama2.c's forward(). All buffers live in the
 * session and are allocated once; the loop allocates nothing.
 */
import { check } from "@/lib/engine/errors";
import { swiglu } from "@/lib/engine/kernels/activation";
import { addBias, addInPlace } from "@/lib/engine/kernels/embedding";
import { rmsnorm } from "@/lib/engine/kernels/norm";
import { ropeFromTable, ropeTable } from "@/lib/engine/kernels/rope";
import type { RowNorm } from "@/lib/engine/kernels/wasm/arena";
import type { ModelConfig } from "../config";
import { KvCache, checkRows } from "../kv-cache";
import type { Linear } from "../linear";
import { applyFeedForwardInArena, applyLinear, applyLinearsToOneInput, applyNormedGroupInArena, embedRows } from "../linear";
import type { CausalLM, Session } from "../types";
import type { LlamaWeights } from "./weights";

/**
 * Rows per forward() beyond the number of slots: the prefill chunk size. Each
 * chunk streams every weight once, so bigger chunks cut weight traffic per
 * prompt token (for SmolLM2-135M F32, 540 MB per chunk); 64 rows cost a
 * (64, vocab) logits buffer per session (12.6 MB at vocab 49152).
 */
const PREFILL_CHUNK = 64;

/** A Llama-family model: config + weights; sessions hold the KV cache. */
export class LlamaModel implements CausalLM {
  constructor(
    readonly config: ModelConfig,
    readonly weights: LlamaWeights,
  ) {}

  createSession(opts: { slots: number; contextLength?: number }): Session {
    return new LlamaSession(this, opts.slots, opts.contextLength ?? this.config.maxSeqLen);
  }
}

class LlamaSession implements Session {
  readonly maxRows: number;
  private readonly cache: KvCache;
  // Activations, R = maxRows: x, xb, xb2 (R, dim); q, attOut (R, qDim); k, v (R, kvDim);
  // hb, hb2 (R, hidden); logits (R, vocab).
  private readonly x: Float32Array;
  private readonly xb: Float32Array;
  private readonly xb2: Float32Array;
  private readonly q: Float32Array;
  private readonly attOut: Float32Array;
  private readonly k: Float32Array;
  private readonly v: Float32Array;
  private readonly hb: Float32Array;
  private readonly hb2: Float32Array;
  /** cos, sin of each row's RoPE angles for the current forward (ropeTable). */
  private readonly ropeCs: Float64Array;
  private readonly logits: Float32Array;
  // Layers sharing an input, and their outputs, grouped once so forward() allocates nothing.
  private readonly qkvW: Linear[][];
  private readonly gateUpW: Linear[][];
  private readonly qkvOut: Float32Array[];
  private readonly gateUpOut: Float32Array[];
  // Each layer's two RMSNorms, as the arena applies them to a product's input rows.
  private readonly attnNorms: RowNorm[];
  private readonly ffnNorms: RowNorm[];

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
    this.cache = new KvCache(c.nLayers, slots, contextLength, c, R);
    this.x = new Float32Array(R * c.dim);
    this.xb = new Float32Array(R * c.dim);
    this.xb2 = new Float32Array(R * c.dim);
    this.q = new Float32Array(R * qDim);
    this.attOut = new Float32Array(R * qDim);
    this.k = new Float32Array(R * kvDim);
    this.v = new Float32Array(R * kvDim);
    this.hb = new Float32Array(R * c.hiddenDim);
    this.hb2 = new Float32Array(R * c.hiddenDim);
    this.ropeCs = new Float64Array(R * c.headDim);
    this.logits = new Float32Array(R * c.vocabSize);
    this.qkvW = model.weights.layers.map((L) => [L.wq, L.wk, L.wv]);
    this.gateUpW = model.weights.layers.map((L) => [L.wGate, L.wUp]);
    this.qkvOut = [this.q, this.k, this.v];
    this.gateUpOut = [this.hb, this.hb2];
    this.attnNorms = model.weights.layers.map((L) => ({ w: L.attnNorm, eps: c.normEps }));
    this.ffnNorms = model.weights.layers.map((L) => ({ w: L.ffnNorm, eps: c.normEps }));
  }

  copySlot(src: number, dst: number, nPos: number): void {
    this.cache.copySlot(src, dst, nPos);
  }

  forward(tokens: Int32Array, slots: Int32Array, positions: Int32Array, B: number, want: "all" | "last" | "none"): Float32Array {
    const c = this.model.config;
    const w = this.model.weights;
    checkRows(tokens, slots, positions, B, this.maxRows, this.slots, this.contextLength, c.vocabSize);
    const { x, xb, xb2, q, attOut, k, v, hb, hb2, cache } = this;
    const dim = c.dim;
    const hd = c.headDim;
    const qDim = c.nHeads * hd;
    const kvDim = c.nKvHeads * hd;
    const window = c.slidingWindow;

    // x (B, dim) = token embeddings; every layer rotates q and k by the same angles
    embedRows(x, w.tokenEmbedding, tokens, B);
    ropeTable(this.ropeCs, positions, w.invFreq, B);

    for (let l = 0; l < c.nLayers; l++) {
      const L = w.layers[l];

      // attention: xb = rmsnorm(x); q, k, v = xb @ Wq, Wk, Wv (+ biases)
      if (!applyNormedGroupInArena(this.qkvOut, x, this.attnNorms[l], this.qkvW[l], B)) {
        this.norm(xb, x, L.attnNorm, B);
        applyLinearsToOneInput(this.qkvOut, xb, this.qkvW[l], B);
      }
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
      applyLinear(xb2, attOut, L.wo, B);
      addInPlace(x, xb2, B * dim);

      // feed-forward: x += (silu(xb @ Wgate) * (xb @ Wup)) @ Wdown, xb = rmsnorm(x)
      if (!applyFeedForwardInArena(xb2, x, this.ffnNorms[l], this.gateUpW[l], L.wDown, B)) {
        this.norm(xb, x, L.ffnNorm, B);
        applyLinearsToOneInput(this.gateUpOut, xb, this.gateUpW[l], B);
        if (w.arena) w.arena.swiglu(hb, hb, hb2, B * c.hiddenDim);
        else swiglu(hb, hb, hb2, B * c.hiddenDim);
        applyLinear(xb2, hb, L.wDown, B);
      }
      addInPlace(x, xb2, B * dim);
    }

    // logits (rows, vocab) = rmsnorm(x) @ Wout: for "last", B is 1 here (the last layer narrowed it)
    this.norm(xb, x, w.finalNorm, B);
    applyLinear(this.logits, xb, w.output, B);
    return this.logits.subarray(0, B * c.vocabSize);
  }

  /** out (B, dim) = RMSNorm(x) * w: in WASM SIMD when the weights are in an arena (same values either way). */
  private norm(out: Float32Array, x: Float32Array, w: Float32Array, B: number): void {
    const { dim, normEps } = this.model.config;
    const arena = this.model.weights.arena;
    if (arena) arena.rmsnorm(out, x, w, B, dim, normEps);
    else rmsnorm(out, x, w, B, dim, normEps);
  }

  // xb still holds the final-norm rows the logits were computed from.
  hidden(out: Float32Array, row: number): void {
    const dim = this.model.config.dim;
    out.set(this.xb.subarray(row * dim, (row + 1) * dim));
  }
}
