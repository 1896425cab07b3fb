/**
 * Bit-identity with llama.cpp itself (the ggml library node-llama-cpp ships,
 * through ggml-peer.ts): the Q4_K / Q6_K / Q5_0 quantizers give the same bytes
 * as quantize_row_*_ref on seeded inputs, and every dequantizer gives the same
 * floats as dequantize_row_*. Skipped, saying why, where the peer is missing.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { DType } from "@/lib/engine/tensor/dtype";
import { DTYPES, toFloat32 } from "@/lib/engine/tensor/dtype";
import { f32ToF16Bits } from "@/lib/engine/tensor/f16";
import { quantizeQ4_KRef, quantizeQ6_KRef } from "@/lib/engine/tensor/k-quantize";
import { quantizeQ5_0 } from "@/lib/engine/tensor/quantize";
import { randn, seeded } from "../golden/random-model";
import type { PeerType } from "./ggml-peer";
import { ggmlPeer } from "./ggml-peer";

const { peer, reason } = ggmlPeer();
if (!peer) console.warn(`skipping the llama.cpp quantizer comparison: ${reason}`);
afterAll(() => peer?.dispose());

/** Rows of 256*k values with the shapes that exercise the quantizers' branches. */
function inputs(): [string, Float32Array][] {
  const rand = seeded(42);
  const withZeros = randn(rand, 1024, 1);
  withZeros.fill(0, 256, 512); // an all-zero super-block
  withZeros.fill(0, 40, 56); // an all-zero Q6_K sub-block inside a non-zero one
  const constant = new Float32Array(512).fill(0.75);
  const sparse = randn(rand, 1024, 1).map((v) => (rand() < 0.9 ? 0 : v));
  const outliers = randn(rand, 2048, 0.02).map((v) => (rand() < 0.01 ? v * 400 : v));
  return [
    ["normal, std 1", randn(rand, 256 * 64, 1)],
    ["weights-like, std 0.02", randn(rand, 256 * 64, 0.02)],
    ["all positive (mean 3)", randn(rand, 2048, 1, 3)],
    ["all negative (mean -3)", randn(rand, 2048, 1, -3)],
    ["uniform in [-1, 1)", Float32Array.from({ length: 4096 }, () => rand() * 2 - 1)],
    ["zero blocks", withZeros],
    ["constant", constant],
    ["90% zeros", sparse],
    ["rare large outliers", outliers],
    ["tiny (std 1e-6)", randn(rand, 1024, 1e-6)],
  ];
}

describe.skipIf(!peer)("reference quantizers are bit-identical to llama.cpp's", () => {
  it.each(inputs())("Q4_K, Q6_K and Q5_0 bytes equal quantize_row_*_ref on %s", (_, x) => {
    expect(Buffer.from(quantizeQ4_KRef(x)).equals(peer!.quantize("q4_K", x, 256, 144))).toBe(true);
    expect(Buffer.from(quantizeQ6_KRef(x)).equals(peer!.quantize("q6_K", x, 256, 210))).toBe(true);
    expect(Buffer.from(quantizeQ5_0(x)).equals(peer!.quantize("q5_0", x, 32, 22))).toBe(true);
  });
});

/** Random block bytes whose f16 scales are finite (at the given byte offsets in each block). */
function randomBlocks(dtype: DType, blocks: number, scaleOffsets: number[], seed: number): Uint8Array {
  const { blockBytes } = DTYPES[dtype];
  const rand = seeded(seed);
  const bytes = Uint8Array.from({ length: blocks * blockBytes }, () => Math.floor(rand() * 256));
  for (let b = 0; b < blocks; b++) {
    for (const o of scaleOffsets) {
      const h = f32ToF16Bits((rand() * 2 - 1) * 0.05);
      bytes[b * blockBytes + o] = h & 0xff;
      bytes[b * blockBytes + o + 1] = h >> 8;
    }
  }
  return bytes;
}

const DEQUANT_CASES: [DType, PeerType, number[]][] = [
  ["Q8_0", "q8_0", [0]],
  ["Q4_0", "q4_0", [0]],
  ["Q4_1", "q4_1", [0, 2]],
  ["Q5_0", "q5_0", [0]],
  ["Q5_1", "q5_1", [0, 2]],
  ["Q4_K", "q4_K", [0, 2]],
  ["Q5_K", "q5_K", [0, 2]],
  ["Q6_K", "q6_K", [208]],
];

describe.skipIf(!peer)("reference dequantizers equal llama.cpp's", () => {
  it.each(DEQUANT_CASES)("%s: the same float32 values as dequantize_row_* on random blocks", (dtype, type, scales) => {
    const blocks = 64;
    const bytes = randomBlocks(dtype, blocks, scales, 7);
    const n = blocks * DTYPES[dtype].blockValues;
    const ours = toFloat32(dtype, bytes, n);
    const theirs = peer!.dequantize(type, bytes, n);
    expect(Buffer.from(ours.buffer).equals(Buffer.from(theirs.buffer))).toBe(true);
  });
});
