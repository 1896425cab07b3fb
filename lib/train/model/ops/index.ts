/** The trainer's ops, one family per file, each with its backward beside it. */
export type { Buf } from "./buf";
export { attention, attentionBackward } from "./attention";
export type { AttnDims } from "./attention";
// The forward product of a linear layer is the engine's matmul (lib/engine/kernels/matmul.ts).
export { matmulBackward } from "./matmul-backward";
export { rmsnorm, rmsnormBackward } from "./rmsnorm";
export { rope, ropeTables } from "./rope";
export { swiglu, swigluBackward } from "./swiglu";
