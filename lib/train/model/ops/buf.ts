/**
 * Flat row-major buffers for the trainer's ops: the engine's kernel buffer
 * type. Float64Array is accepted so gradient checks can run in double
 * precision; training uses Float32Array only.
 */
export type { FloatBuf as Buf } from "@/lib/engine/kernels/matmul";
