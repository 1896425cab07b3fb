import type { Buf } from "./buf";

/** SwiGLU: a = silu(g) * u elementwise over n values. */
export function swiglu(a: Buf, g: Buf, u: Buf, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = g[i]!;
    a[i] = (x / (1 + Math.exp(-x))) * u[i]!;
  }
}

/** Backward of swiglu: du = da*silu(g), dg = da*u*sig(g)*(1 + g*(1-sig(g))). Overwrites dg, du. */
export function swigluBackward(dg: Buf, du: Buf, da: Buf, g: Buf, u: Buf, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = g[i]!;
    const sg = 1 / (1 + Math.exp(-x));
    du[i] = da[i]! * x * sg;
    dg[i] = da[i]! * u[i]! * sg * (1 + x * (1 - sg));
  }
}
