/**
 * The sampling filters (HF "logits warpers") over a candidate set: top-k,
 * top-p, min-p, typical-p. A filter only shrinks the candidate list; removed
 * tokens behave like HF's -inf logits. Each keeps at least one token (HF
 * min_tokens_to_keep = 1, the value used when sampling with one beam).
 *
 * Ordering is total: higher value first, ties broken by lower token id, so
 * every run picks the same set whatever the partition order.
 */
export class Candidates {
  /** ids[0..n) are the surviving token ids. */
  readonly ids: Int32Array;
  n = 0;
  /** Scratch aligned with positions in `ids` (probabilities). */
  readonly weights: Float64Array;
  /** Scratch indexed by token id (typical-p's sort key). */
  readonly keyById: Float64Array;
  /** Working logits by token id (vocab), already divided by the temperature. */
  values: Float32Array;

  constructor(readonly vocabSize: number) {
    this.ids = new Int32Array(vocabSize);
    this.weights = new Float64Array(vocabSize);
    this.keyById = new Float64Array(vocabSize);
    this.values = new Float32Array(0);
  }

  /** Every token whose value is finite (-Infinity means masked). */
  reset(values: Float32Array): void {
    this.values = values;
    let n = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== -Infinity) this.ids[n++] = i;
    this.n = n;
  }

  /** The max value over the candidates, as of the last `expWeights` call. */
  max = -Infinity;

  /** Fills weights[0..n) with exp(value - max) and returns their sum. */
  expWeights(): number {
    const { ids, values, weights, n } = this;
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (values[ids[i]] > max) max = values[ids[i]];
    this.max = max;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i] = Math.exp(values[ids[i]] - max);
    return sum;
  }
}

/** Rearranges ids[0..n) so ids[0..m) hold the m best by (value desc, id asc), unordered. Hoare select, O(n) on average. */
export function selectTop(ids: Int32Array, n: number, m: number, v: Float32Array): void {
  if (m <= 0 || m >= n) return;
  const before = (a: number, b: number) => v[a] > v[b] || (v[a] === v[b] && a < b);
  const k = m - 1;
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = medianOfThree(ids[lo], ids[(lo + hi) >>> 1], ids[hi], before);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(ids[i], pivot)) i++;
      while (before(pivot, ids[j])) j--;
      if (i <= j) {
        const t = ids[i];
        ids[i++] = ids[j];
        ids[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function medianOfThree(a: number, b: number, c: number, before: (x: number, y: number) => boolean): number {
  if (before(a, b)) return before(b, c) ? b : before(a, c) ? c : a;
  return before(a, c) ? a : before(b, c) ? c : b;
}

/** Sorts ids[0..m) best first by (value desc, id asc). */
export function sortTop(ids: Int32Array, m: number, v: Float32Array): void {
  ids.subarray(0, m).sort((a, b) => v[b] - v[a] || a - b);
}

/** HF TopKLogitsWarper: keeps every token whose value is >= the k-th largest (so ties at the boundary survive). */
export function keepTopK(c: Candidates, k: number): void {
  if (k <= 0 || k >= c.n) return;
  const { ids, values } = c;
  selectTop(ids, c.n, k, values);
  const threshold = values[ids[k - 1]];
  let kept = k;
  for (let i = k; i < c.n; i++) {
    if (values[ids[i]] !== threshold) continue;
    const t = ids[kept];
    ids[kept++] = ids[i];
    ids[i] = t;
  }
  c.n = kept;
}

/**
 * HF TopPLogitsWarper: in descending probability order, keeps a token while the
 * mass of the tokens before it is < p (the smallest prefix reaching p). Sorts
 * only a growing prefix (64, 256, ...) instead of the whole vocab: peaked
 * distributions reach p within the first few dozen tokens.
 */
export function keepTopP(c: Candidates, p: number): void {
  if (p >= 1 || c.n <= 1) return;
  const total = c.expWeights();
  const { ids, values, max } = c;
  const target = p * total;
  for (let m = Math.min(c.n, 64); ; m = Math.min(c.n, m * 4)) {
    selectTop(ids, c.n, m, values);
    sortTop(ids, m, values);
    let before = 0;
    for (let i = 0; i < m; i++) {
      if (before >= target) {
        c.n = i;
        return;
      }
      before += Math.exp(values[ids[i]] - max);
    }
    if (m === c.n) return;
  }
}

/** HF MinPLogitsWarper: drops tokens whose probability is < minP × the top probability. */
export function keepMinP(c: Candidates, minP: number): void {
  if (minP <= 0 || c.n <= 1) return;
  c.expWeights(); // weights are p / p_max
  const { ids, weights } = c;
  let kept = 0;
  for (let i = 0; i < c.n; i++) if (weights[i] >= minP) ids[kept++] = ids[i];
  c.n = kept;
}

/**
 * HF TypicalLogitsWarper (locally typical sampling, Meister et al. 2022): ranks
 * tokens by |−log p − H| (distance of their surprisal from the entropy), then
 * keeps the smallest such prefix whose mass reaches `mass`, plus any token tied
 * with the last one kept. Sorts every candidate: pair it with top_k on big vocabs.
 */
export function keepTypical(c: Candidates, mass: number): void {
  if (mass >= 1 || c.n <= 1) return;
  const total = c.expWeights();
  const { ids, weights, keyById, values } = c;
  const logZ = c.max + Math.log(total);
  let entropy = 0;
  for (let i = 0; i < c.n; i++) {
    if (weights[i] > 0) entropy -= (weights[i] / total) * (values[ids[i]] - logZ);
  }
  // Keys are stored by token id because the sort below moves ids around.
  for (let i = 0; i < c.n; i++) keyById[ids[i]] = Math.abs(logZ - values[ids[i]] - entropy);
  ids.subarray(0, c.n).sort((a, b) => keyById[a] - keyById[b] || a - b);
  let cum = 0;
  let last = c.n - 1;
  for (let i = 0; i < c.n; i++) {
    cum += Math.exp(values[ids[i]] - logZ);
    if (cum >= mass) {
      last = i;
      break;
    }
  }
  const threshold = keyById[ids[last]];
  let kept = last + 1;
  while (kept < c.n && keyById[ids[kept]] <= threshold) kept++;
  c.n = kept;
}
