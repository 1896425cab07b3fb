/** The interface generate() drives, shared by every model family. */
import type { KernelBackend } from "@/lib/engine/kernels/backend/types";
import type { ModelConfig } from "./config";

/**
 * A decoding session: a KV cache with `slots` independent sequences of up to
 * `contextLength` positions, and scratch buffers, all allocated once.
 */
export interface Session {
  readonly slots: number;
  readonly contextLength: number;
  /** Most rows one forward() call accepts. */
  readonly maxRows: number;
  /**
   * Runs n rows; row r is token tokens[r] at position positions[r] of sequence
   * slots[r]. All rows' K/V are written before attention, so a prefill chunk
   * (one slot, consecutive positions) and a batched decode step (one row per
   * slot) are the same call. Each row attends to positions 0..positions[r] of its slot.
   * @returns logits (rows, vocab): every row for "all", only the last row for "last",
   *          none (an empty array) for "none", e.g. a prefill chunk before the last.
   *          A view into the session's buffer, valid until the next call.
   */
  forward(tokens: Int32Array, slots: Int32Array, positions: Int32Array, n: number, logits: "all" | "last" | "none"): Float32Array;
  /** Copies positions 0..nPos-1 of slot `src` into slot `dst` (shares a prefilled prompt). */
  copySlot(src: number, dst: number, nPos: number): void;
  /**
   * Copies the final-norm hidden state (dim) of row `row` of the last forward()'s
   * logits rows into `out` (row 0 is the last row for "last"). Reward-model features.
   */
  hidden?(out: Float32Array, row: number): void;
}

/** A loaded causal language model. */
export interface CausalLM {
  readonly config: ModelConfig;
  /** The kernel backend its forward runs on, chosen when it was built (see LoadOptions.kernels). */
  readonly kernels: KernelBackend;
  /** Allocates a KV cache for `slots` sequences of up to `contextLength` (default: config.maxSeqLen) positions. */
  createSession(opts: { slots: number; contextLength?: number }): Session;
}
