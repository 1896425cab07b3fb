/**
 * Groups and feed-forwards run step by step through a backend's own products
 * and element-wise ops: the TypeScript backend's only form, and the WASM
 * backend's for matrices it could not fuse at load (mixed kinds, odd shapes).
 * The choice is made when the handle is made, never per call.
 */
import { check } from "@/lib/engine/errors";
import type { FeedForward, KernelBackend, Product, ProductGroup, RowNorm } from "./types";

/** Scratch slots: a group's normalized input rows (B, cols); a feed-forward's gate and up outputs (B, h). */
export const NORMED = 0, GATE = 1, UP = 2;

/**
 * A backend instance's scratch: one buffer per slot, grown to the largest size
 * asked for and then reused, so calls allocate nothing once the biggest batch
 * has run. Handles of one backend share it: forward() runs one op at a time.
 */
export class Scratch {
  private readonly buffers: Float32Array[] = [];

  /** The slot's buffer, at least n floats (only its first n are meaningful). */
  floats(slot: number, n: number): Float32Array {
    const a = this.buffers[slot];
    if (a && a.length >= n) return a;
    return (this.buffers[slot] = new Float32Array(n));
  }
}

/** Checks a norm's length against the rows it normalizes; the error names both. */
export function checkNorm(norm: RowNorm | undefined, cols: number): void {
  check(!norm || norm.w.length === cols, `kernels: a norm of ${norm?.w.length} weights cannot normalize rows of ${cols}`);
}

/** A group run as rmsnorm (when it has a norm) into the scratch, then one product per member. */
export class StepGroup implements ProductGroup {
  protected readonly cols: number;

  constructor(
    protected readonly kernels: KernelBackend,
    protected readonly scratch: Scratch,
    protected readonly members: readonly Product[],
    protected readonly norm: RowNorm | undefined,
  ) {
    check(members.length > 0 && members.every((m) => m.cols === members[0].cols), "kernels: a group's matrices must read rows of one length");
    this.cols = members[0].cols;
    checkNorm(norm, this.cols);
  }

  /** The group's input: x (B, cols), or its rows normalized in the scratch. */
  protected normedInput(x: Float32Array, B: number): Float32Array {
    const norm = this.norm;
    if (!norm) return x;
    const normed = this.scratch.floats(NORMED, B * this.cols);
    this.kernels.rmsnorm(normed, x, norm.w, B, this.cols, norm.eps);
    return normed;
  }

  run(outs: readonly Float32Array[], x: Float32Array, B: number): void {
    const input = this.normedInput(x, B);
    for (let i = 0; i < this.members.length; i++) this.members[i].run(outs[i], input, B);
  }
}

/** The SwiGLU feed-forward as its steps: the gate/up group, swiglu, the down product. */
export class StepFeedForward implements FeedForward {
  // the gate/up group's outputs, the scratch's GATE and UP buffers (B, h) for the current call
  private readonly gateUpOut: Float32Array[] = [new Float32Array(0), new Float32Array(0)];

  constructor(
    private readonly kernels: KernelBackend,
    private readonly scratch: Scratch,
    private readonly gateUp: ProductGroup,
    private readonly down: Product,
    private readonly h: number,
  ) {
    check(down.cols === h, `kernels: the down matrix reads rows of ${down.cols}, the gate and up give ${h}`);
  }

  run(out: Float32Array, x: Float32Array, B: number): void {
    const n = B * this.h;
    const g = (this.gateUpOut[0] = this.scratch.floats(GATE, n));
    const u = (this.gateUpOut[1] = this.scratch.floats(UP, n));
    this.gateUp.run(this.gateUpOut, x, B);
    this.kernels.swiglu(g, g, u, n);
    this.down.run(out, g, B);
  }
}
