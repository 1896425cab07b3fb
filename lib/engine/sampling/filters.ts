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
  /** Scratch by token id: exp(value - max) after `expWeights`. */
  readonly weightById: Float64Array;
  /** Scratch by token id: the ranking key of top-p / typical-p (lower is better). */
  readonly keyById: Float64Array;
  /** Working logits by token id (vocab), already divided by the temperature. */
  values: Float32Array;
  /** The max value over the candidates, as of the last `expWeights` call. */
  max = -Infinity;

  constructor(readonly vocabSize: number) {
    this.ids = new Int32Array(vocabSize);
    this.weightById = new Float64Array(vocabSize);
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

  /** Sets weightById[id] = exp(value - max) for the candidates and returns their sum. */
  expWeights(): number {
    const { ids, values, weightById, n } = this;
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (values[ids[i]] > max) max = values[ids[i]];
    this.max = max;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weightById[ids[i]] = Math.exp(values[ids[i]] - max);
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
 * Keeps the prefix, in (key asc, id asc) order, of tokens whose "mass before"
 * (sum of weights of the tokens ranked ahead) is < target. A weighted
 * quickselect: O(n) on average, no sort; the kept ids end up unordered.
 */
function keepByMass(c: Candidates, target: number): void {
  const { ids, keyById: key, weightById: weight } = c;
  const before = (a: number, b: number) => key[a] < key[b] || (key[a] === key[b] && a < b);
  // Invariant: ids[0..lo) are kept (their mass is `above`), ids(hi..n) are dropped,
  // and everything kept ranks ahead of everything undecided.
  let lo = 0;
  let hi = c.n - 1;
  let above = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const pivot = medianOfThree(ids[lo], ids[mid], ids[hi], before);
    const at = ids[lo] === pivot ? lo : ids[mid] === pivot ? mid : hi;
    ids[at] = ids[hi];
    let store = lo;
    let massAhead = 0;
    for (let i = lo; i < hi; i++) {
      const id = ids[i];
      if (!before(id, pivot)) continue;
      massAhead += weight[id];
      ids[i] = ids[store];
      ids[store++] = id;
    }
    ids[hi] = ids[store];
    ids[store] = pivot;
    if (above + massAhead < target) {
      above += massAhead + weight[pivot]; // the pivot and all ahead of it are kept
      lo = store + 1;
    } else {
      hi = store - 1; // the pivot and all behind it are dropped
    }
  }
  c.n = lo;
}

/**
 * HF TopPLogitsWarper: in descending probability order, keeps a token while the
 * mass of the tokens before it is < p (the smallest prefix reaching p).
 */
export function keepTopP(c: Candidates, p: number): void {
  if (p >= 1 || c.n <= 1) return;
  const total = c.expWeights();
  const { ids, values, keyById } = c;
  for (let i = 0; i < c.n; i++) keyById[ids[i]] = -values[ids[i]];
  keepByMass(c, p * total);
}

/** HF MinPLogitsWarper: drops tokens whose probability is < minP × the top probability. */
export function keepMinP(c: Candidates, minP: number): void {
  if (minP <= 0 || c.n <= 1) return;
  c.expWeights(); // weights are p / p_max
  const { ids, weightById } = c;
  let kept = 0;
  for (let i = 0; i < c.n; i++) if (weightById[ids[i]] >= minP) ids[kept++] = ids[i];
  c.n = kept;
}

/**
 * HF TypicalLogitsWarper (locally typical sampling, Meister et al. 2022): ranks
 * tokens by |−log p − H| (distance of their surprisal from the entropy H) and
 * keeps the smallest such prefix whose mass reaches `mass`, plus any token
 * whose distance ties with the last one kept.
 */
export function keepTypical(c: Candidates, mass: number): void {
  if (mass >= 1 || c.n <= 1) return;
  const total = c.expWeights();
  const { ids, weightById, keyById, values } = c;
  const logZ = c.max + Math.log(total);
  let entropy = 0;
  for (let i = 0; i < c.n; i++) {
    const id = ids[i];
    if (weightById[id] > 0) entropy -= (weightById[id] / total) * (values[id] - logZ);
  }
  for (let i = 0; i < c.n; i++) keyById[ids[i]] = Math.abs(logZ - values[ids[i]] - entropy);
  const all = c.n;
  keepByMass(c, mass * total);
  let threshold = -Infinity;
  for (let i = 0; i < c.n; i++) threshold = Math.max(threshold, keyById[ids[i]]);
  for (let i = c.n; i < all; i++) {
    if (keyById[ids[i]] !== threshold) continue;
    const t = ids[c.n];
    ids[c.n++] = ids[i];
    ids[i] = t;
  }
}
