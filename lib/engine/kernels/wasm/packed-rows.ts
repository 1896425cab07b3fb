/**
 * The weight layout the WASM kernels read: rows in groups of four, interleaved
 * in chunks of `chunk` values — row 4g's first chunk, row 4g+1's first chunk,
 * row 4g+2's, row 4g+3's, then each row's second chunk, and so on:
 *   index(r, c) = (r >> 2) * 4 * cols + floor(c / chunk) * 4 * chunk + (r & 3) * chunk + c % chunk
 * The kernels take four rows at once, so they read one sequential stream
 * instead of four rows 4*cols apart: with one input row (decode) that streams
 * weights from DRAM about three times as fast, and the arithmetic (so every
 * result) is the same as on the row-major layout. Chunks: 4 values for f32 and
 * f16 (one SIMD load), Q8_QUANT_CHUNK for Q8_0 quants, 1 for Q8_0 block scales.
 * rows must be a multiple of 4 and cols of chunk.
 */

/** Q8_0 quants go in chunks of 8: one 16-byte vector holds a chunk of two rows (matmul-q8-module.ts). */
export const Q8_QUANT_CHUNK = 8;

type Values = Float32Array | Uint16Array | Int8Array;

/**
 * dst (rows*cols, packed) = src (rows, cols, row-major). Chunks are moved as
 * 32-bit words when they and both arrays are word-aligned (every chunk the kernels
 * use is), so the copy loop sees one array type and a quarter of the elements.
 */
export function packRows<T extends Values>(dst: T, src: T, rows: number, cols: number, chunk: number): void {
  const bpe = dst.BYTES_PER_ELEMENT;
  if ((chunk * bpe) % 4 || (cols * bpe) % 4 || src.byteOffset % 4 || dst.byteOffset % 4) {
    return packElements(dst, src, rows, cols, chunk);
  }
  const words = (a: Values) => new Int32Array(a.buffer, a.byteOffset, (rows * cols * bpe) / 4);
  packElements(words(dst), words(src), rows, (cols * bpe) / 4, (chunk * bpe) / 4);
}

function packElements<T extends Values | Int32Array>(dst: T, src: T, rows: number, cols: number, chunk: number): void {
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    const to = (r >> 2) * 4 * cols + (r & 3) * chunk;
    for (let c0 = 0; c0 < cols; c0 += chunk) {
      const o = to + c0 * 4;
      for (let c = 0; c < chunk; c++) dst[o + c] = src[from + c0 + c];
    }
  }
}

/** dst (cols) = row r of a packed (rows, cols) matrix, in row-major order. */
export function unpackRow<T extends Values>(dst: T, src: T, r: number, cols: number, chunk: number): void {
  const from = (r >> 2) * 4 * cols + (r & 3) * chunk;
  for (let c0 = 0; c0 < cols; c0 += chunk) {
    const o = from + c0 * 4;
    for (let c = 0; c < chunk; c++) dst[c0 + c] = src[o + c];
  }
}
