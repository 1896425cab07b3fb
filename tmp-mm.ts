import { matmul, matmulBackward } from "@/lib/train/model/kernels";
const T = 20, n = 128, m = 384;
const x = new Float32Array(T * n).map(() => Math.random()), w = new Float32Array(m * n).map(() => Math.random()), o = new Float32Array(T * m);
const dx = new Float32Array(T * n), dw = new Float32Array(m * n);
for (const [name, fn] of [["fwd", () => matmul(o, x, w, T, n, m)], ["bwd", () => matmulBackward(dx, dw, o, x, w, T, n, m)]] as const) {
  for (let i = 0; i < 200; i++) fn();
  const t0 = performance.now(); const N = 2000;
  for (let i = 0; i < N; i++) fn();
  const s = (performance.now() - t0) / 1000;
  console.log(name, ((N * T * n * m * 2 * (name === "bwd" ? 2 : 1)) / s / 1e9).toFixed(2), "GFLOP/s");
}
