/**
 * Naive reference implementations for the sampling tests: full sorts, float64,
 * written straight from the HF/OpenAI definitions, no partial selection.
 */
export interface FilterOptions {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  typicalP: number;
}

const softmax = (scores: number[]): number[] => {
  const max = Math.max(...scores);
  const e = scores.map((s) => (s === -Infinity ? 0 : Math.exp(s - max)));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
};

/** The distribution HF's warpers (temperature, top-k, top-p, min-p, typical-p) leave over the vocab. */
export function referenceDistribution(logits: ArrayLike<number>, o: FilterOptions): number[] {
  let s = Array.from(logits, (l) => Math.fround(l / o.temperature));
  const byValueDesc = (v: number[]) => v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
  if (o.topK > 0) {
    const kth = byValueDesc(s)[Math.min(o.topK, s.length) - 1];
    s = s.map((x) => (x < s[kth] ? -Infinity : x));
  }
  if (o.topP < 1) {
    const p = softmax(s);
    const order = byValueDesc(s).filter((i) => s[i] !== -Infinity);
    let before = 0;
    const drop = new Set<number>();
    for (const i of order) {
      if (before >= o.topP) drop.add(i);
      before += p[i];
    }
    s = s.map((x, i) => (drop.has(i) ? -Infinity : x));
  }
  if (o.minP > 0) {
    const p = softmax(s);
    const top = Math.max(...p);
    s = s.map((x, i) => (p[i] < o.minP * top ? -Infinity : x));
  }
  if (o.typicalP < 1) s = referenceTypical(s, o.typicalP);
  return softmax(s);
}

function referenceTypical(s: number[], mass: number): number[] {
  const p = softmax(s);
  const logp = p.map((x) => Math.log(x));
  const entropy = -p.reduce((a, x, i) => (x > 0 ? a + x * logp[i] : a), 0);
  const shifted = logp.map((l) => Math.abs(-l - entropy)); // Infinity for removed tokens
  const order = shifted.map((_, i) => i).sort((a, b) => shifted[a] - shifted[b] || a - b);
  let cum = 0;
  let lastInd = 0;
  for (const i of order) {
    cum += p[i];
    if (cum < mass) lastInd++;
  }
  lastInd = Math.min(lastInd, s.length - 1);
  const limit = shifted[order[lastInd]];
  return s.map((x, i) => (shifted[i] > limit && i !== order[0] ? -Infinity : x));
}

/** Ids with non-zero probability, ascending. */
export const support = (p: number[]): number[] => p.flatMap((x, i) => (x > 0 ? [i] : []));

/** Random logits with a spread like a real LM head (a few large, a long tail). */
export function randomLogits(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return Float32Array.from({ length: n }, () => {
    const g = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return 3 * g;
  });
}
