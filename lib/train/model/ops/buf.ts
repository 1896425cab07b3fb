/**
 * Flat row-major buffers for the trainer's ops. Float64Array is accepted so
 * gradient checks can run in double precision; training uses Float32Array only.
 */
export type Buf = Float32Array | Float64Array;
