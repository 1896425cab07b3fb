/**
 * The WASM SIMD backend: the model's matrices packed in one WebAssembly.Memory
 * (an arena, wasm/arena.ts), products, norms, SwiGLU and attention in SIMD
 * kernels, big ones shared with the helper thread when `threads` is on.
 * Each handle is settled when it is made: matrices the kernels can't take (odd
 * shapes) or groups that can't be fused (mixed kinds) get the step-by-step or
 * TypeScript form then, never a per-call fallback.
 */
import type { KvCache, KvHeads } from "../kv-cache";
import { TsKvCache } from "../kv-cache";
import { WasmArena } from "../wasm/arena";
import { ArenaFeedForward, ArenaGroup, ArenaProduct, PackedEmbedding } from "../wasm/arena-handles";
import type { ArenaKernels } from "../wasm/kernel-module";
import { WasmKvCache } from "../wasm/kv-memory";
import type { FusedGroup, Placement } from "../wasm/placement";
import { arenaBytes, arenaShaped, placeMatrices } from "../wasm/placement";
import { Scratch, StepFeedForward, StepGroup, checkNorm } from "./steps";
import type { BackendName, Embedding, FeedForward, KernelBackend, Linear, Product, ProductGroup, RowNorm } from "./types";
import { TypeScriptKernels } from "./typescript";

/** The WASM backend's choices: its kernel module and threads (ArenaKernels), and whether attention runs in WASM. */
export interface WasmOptions extends ArenaKernels {
  attention: boolean;
}

/** The WASM backend (see the file comment); made by createKernels with the host's relaxed or plain SIMD module. */
export class WasmKernels implements KernelBackend {
  readonly name: BackendName;
  readonly movedWeights: boolean;
  private readonly arena: WasmArena;
  private readonly placed: Map<Linear, Placement>;
  // matrices the arena does not hold run here, on their own scratch
  private readonly ts = new TypeScriptKernels();
  private readonly scratch = new Scratch();

  /**
   * Copies `matrices` the kernels take into the arena (their arrays become views
   * into it); each of `groups` (matrices that read one input) of one kind and
   * column count is placed back to back and runs as one product.
   */
  constructor(private readonly opts: WasmOptions, matrices: readonly Linear[], groups: readonly (readonly Linear[])[]) {
    this.name = opts.relaxed ? "wasm-relaxed" : "wasm-plain";
    let take = [...new Set(matrices)].filter(arenaShaped);
    if (!WasmArena.fits(arenaBytes(take))) {
      console.warn(`engine: ${(arenaBytes(take) / 2 ** 30).toFixed(1)} GiB of weights exceed WebAssembly's 4 GiB; products run in TypeScript`);
      take = [];
    }
    this.arena = WasmArena.create(arenaBytes(take), opts);
    this.placed = placeMatrices(this.arena, take, groups);
    this.movedWeights = take.length > 0;
  }

  memoryBytes(): number {
    return this.arena.memory.buffer.byteLength;
  }

  product(W: Linear): Product {
    const p = this.placed.get(W);
    return p ? new ArenaProduct(this.arena, W, p.m) : this.ts.product(W);
  }

  products(Ws: readonly Linear[], norm?: RowNorm): ProductGroup {
    checkNorm(norm, Ws[0].cols);
    const g = this.fused(Ws);
    if (g && (!norm || g.cols % 4 === 0)) return new ArenaGroup(this.arena, g, norm);
    return new StepGroup(this, this.scratch, Ws.map((W) => this.product(W)), norm);
  }

  feedForward(gate: Linear, up: Linear, down: Linear, norm?: RowNorm): FeedForward {
    checkNorm(norm, gate.cols);
    const [g, dn, h] = [this.fused([gate, up]), this.placed.get(down), gate.rows];
    // one arena call: gate and up fused, down of their kind, h in fours (swiglu_rows), a norm the kernel takes
    if (g && dn && g.rows[1] === h && h % 4 === 0 && dn.m.kind === g.combined.kind && down.cols === h && (!norm || g.cols % 4 === 0)) {
      return new ArenaFeedForward(this.arena, g.combined, dn.m, g.cols, h, down.rows, norm);
    }
    return new StepFeedForward(this, this.scratch, this.products([gate, up], norm), this.product(down), h);
  }

  /** The fused group Ws are (the same matrices in the same order), or undefined. */
  private fused(Ws: readonly Linear[]): FusedGroup | undefined {
    const g = this.placed.get(Ws[0])?.group;
    return g && g.members.length === Ws.length && g.members.every((W, i) => W === Ws[i]) ? g : undefined;
  }

  embedding(E: Linear): Embedding {
    return this.placed.has(E) ? new PackedEmbedding(E) : this.ts.embedding(E);
  }

  rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, eps: number): void {
    this.arena.rmsnorm(out, x, w, B, n, eps);
  }

  swiglu(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
    this.arena.swiglu(out, gate, up, n);
  }

  quantizeQ8(xq: Int8Array, xs: Float32Array, x: Float32Array, n: number): void {
    this.arena.quantizeQ8(x, n);
    const q = this.arena.quantizedInput();
    xq.set(q.xq);
    xs.set(q.xs);
  }

  /** In WASM memory with the SIMD attention when `attention` is on and it can hold the cache (head size in 16s), else TsKvCache. */
  kvCache(nLayers: number, slots: number, ctx: number, heads: KvHeads, maxRows: number): KvCache {
    const wasm = this.opts.attention ? WasmKvCache.create(nLayers, slots, ctx, heads, maxRows, this.opts.threads) : null;
    return wasm ?? new TsKvCache(nLayers, slots, ctx, heads);
  }
}
