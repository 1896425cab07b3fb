import type { Buf } from "./buf";

/** y = x / rms(x) * w per row. x (T,d), w (d) -> out (T,d), inv (T) saved for backward. */
export function rmsnorm(out: Buf, inv: Buf, x: Buf, w: Buf, T: number, d: number, eps: number): void {
  for (let t = 0; t < T; t++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x[t * d + i]! * x[t * d + i]!;
    const r = 1 / Math.sqrt(ss / d + eps);
    inv[t] = r;
    for (let i = 0; i < d; i++) out[t * d + i] = x[t * d + i]! * r * w[i]!;
  }
}

/**
 * RMSNorm backward. With g = dy*w: dx = r*g - x * r^3/d * sum(g*x); dw += dy*x*r.
 * dx is accumulated (+=) because it adds onto the residual gradient.
 */
export function rmsnormBackward(dx: Buf, dw: Buf, dy: Buf, x: Buf, inv: Buf, w: Buf, T: number, d: number): void {
  for (let t = 0; t < T; t++) {
    const r = inv[t]!;
    let dot = 0;
    for (let i = 0; i < d; i++) {
      const g = dy[t * d + i]! * w[i]!;
      dot += g * x[t * d + i]!;
      dw[i] += dy[t * d + i]! * x[t * d + i]! * r;
    }
    const c = (r * r * r * dot) / d;
    for (let i = 0; i < d; i++) dx[t * d + i] += r * dy[t * d + i]! * w[i]! - c * x[t * d + i]!;
  }
}
