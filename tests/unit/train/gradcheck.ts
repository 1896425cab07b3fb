/** Central finite differences in float64, shared by the gradient-check tests. */
export function numericGrad(f: () => number, x: Float64Array, i: number, h = 1e-5): number {
  const old = x[i]!;
  x[i] = old + h;
  const a = f();
  x[i] = old - h;
  const b = f();
  x[i] = old;
  return (a - b) / (2 * h);
}

/** Largest relative error between an analytic gradient and finite differences over every entry of x. */
export function maxRelError(f: () => number, x: Float64Array, analytic: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const num = numericGrad(f, x, i);
    const err = Math.abs(num - analytic[i]!) / Math.max(1e-7, Math.abs(num) + Math.abs(analytic[i]!));
    worst = Math.max(worst, err);
  }
  return worst;
}

/** Seeded N(0,1) fill (no Math.random in tests either: failures must reproduce). */
export function randn(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

/** Weighted sum of an output buffer: a scalar loss whose gradient w.r.t. the output is `weights`. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}
