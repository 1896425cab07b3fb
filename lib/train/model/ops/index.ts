/** The trainer's ops, one family per file, each with its backward beside it. */
export type { Buf } from "./buf";
export { attention, attentionBackward } from "./attention";
export type { AttnDims } from "./attention";
export { matmul, matmulBackward, matmulRef } from "./matmul";
export { rmsnorm, rmsnormBackward } from "./rmsnorm";
export { rope, ropeTables } from "./rope";
export { swiglu, swigluBackward } from "./swiglu";
