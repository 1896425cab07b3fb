/**
 * CrowdBT (Chen, Bennett, Collins-Thompson and Horvitz, "Pairwise ranking
 * aggregation in a crowdsourced setting", WSDM 2013): Bradley–Terry with a
 * reliability η_k per annotator. Annotator k reports "w beats l" with
 *
 *   P = η_k·σ(s_w − s_l) + (1 − η_k)·σ(s_l − s_w),
 *
 * so η = 1 always reports the better item, η = 0.5 is a coin flip (a
 * spammer) and η < 0.5 reports the worse one more often than not.
 *
 * Fitted here by EM for the posterior mode, not by the paper's online
 * moment matching: the latent variable is whether judgement c was "truthful".
 *   E-step: r_c = η_k·σ(d_c) / (η_k·σ(d_c) + (1 − η_k)·σ(−d_c)), d_c = s_w − s_l.
 *   M-step: η_k = (Σ_c r_c + α − 1) / (n_k + α + β − 2) under a Beta(α, β) prior;
 *           s maximises Σ_c r_c·log σ(d_c) + (1 − r_c)·log σ(−d_c) − λ/2·‖s‖², improved
 *           by one minorise–maximise step per iteration (Böhning's bound: the negative
 *           Hessian is at most diag(n_i/2 + λ)), so every iteration raises the posterior.
 * Deterministic: no random start, so a fit is reproduced from its input alone.
 */

/** One strict preference: `source` (an annotator, or a fixed source such as "gold") says `winner` beats `loser`. */
export type Judgement = { source: string; winner: string; loser: string };

export type CrowdBtOptions = {
  /**
   * Beta(α, β) prior on every fitted η, α, β ≥ 1 and α + β > 2. Its mode
   * (α − 1)/(α + β − 2) is the reliability of an annotator with no evidence,
   * and it keeps η away from exactly 0 and 1. Default α = 4, β = 2 (mode 0.75):
   * most annotators are better than chance.
   */
  prior?: { alpha: number; beta: number };
  /** λ of the Gaussian prior N(0, 1/λ) on item scores; keeps an item that never lost finite. Default 0.1. */
  scorePenalty?: number;
  /** Sources whose η is known and not fitted, e.g. { gold: 1, verifier: 0.95 }. */
  fixedReliability?: Readonly<Record<string, number>>;
  /** Stop when no η or score moves more than this in one iteration. Default 1e-6. */
  tolerance?: number;
  /** Iteration cap. Default 2000. */
  maxIterations?: number;
};

export type SourceReliability = {
  /** Posterior-mode reliability in (0, 1). */
  eta: number;
  /** Strict judgements that informed it; 0 means η is the prior's mode. */
  judgements: number;
};

export type CrowdBtFit = {
  /** Fitted sources only (fixed ones are left out), sorted by id. */
  reliability: Record<string, SourceReliability>;
  /** Item → latent score s (log-strength; only differences within connected items mean anything). */
  scores: Record<string, number>;
  iterations: number;
  converged: boolean;
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** P(source with reliability η says the item with score advantage d wins). */
export function crowdBtProbability(eta: number, d: number): number {
  return eta * sigmoid(d) + (1 - eta) * sigmoid(-d);
}

/**
 * Judgements as parallel arrays: judgement c is source src[c] saying item
 * win[c] beats item lose[c], (judgements). counts (sources) and degree
 * (items) tally them for the M-steps.
 */
type Indexed = { src: Int32Array; win: Int32Array; lose: Int32Array; counts: Float64Array; degree: Float64Array; sources: string[]; items: string[] };

function tallied(src: Int32Array, win: Int32Array, lose: Int32Array, sources: string[], items: string[]): Indexed {
  const counts = new Float64Array(sources.length);
  const degree = new Float64Array(items.length);
  for (let c = 0; c < src.length; c++) {
    counts[src[c]!]! += 1;
    degree[win[c]!]! += 1;
    degree[lose[c]!]! += 1;
  }
  return { src, win, lose, counts, degree, sources, items };
}

function index(judgements: readonly Judgement[]): Indexed {
  const sources = [...new Set(judgements.map((j) => j.source))].sort();
  const items = [...new Set(judgements.flatMap((j) => [j.winner, j.loser]))].sort();
  const si = new Map(sources.map((s, i) => [s, i]));
  const ii = new Map(items.map((s, i) => [s, i]));
  const n = judgements.length;
  const src = new Int32Array(n);
  const win = new Int32Array(n);
  const lose = new Int32Array(n);
  judgements.forEach((j, c) => {
    if (j.winner === j.loser) throw new RangeError(`a judgement needs two different items, got "${j.winner}" twice`);
    src[c] = si.get(j.source)!;
    win[c] = ii.get(j.winner)!;
    lose[c] = ii.get(j.loser)!;
  });
  return tallied(src, win, lose, sources, items);
}

/** The judgements of the sources `keep` accepts, over the same source and item indices. */
function subset(d: Indexed, keep: (k: number) => boolean): Indexed {
  const picked: number[] = [];
  for (let c = 0; c < d.src.length; c++) if (keep(d.src[c]!)) picked.push(c);
  const take = (a: Int32Array) => Int32Array.from(picked, (c) => a[c]!);
  return tallied(take(d.src), take(d.win), take(d.lose), d.sources, d.items);
}

function checkOptions(o: CrowdBtOptions): { alpha: number; beta: number; lambda: number; tolerance: number; maxIterations: number } {
  const { alpha, beta } = o.prior ?? { alpha: 4, beta: 2 };
  if (!(alpha >= 1 && beta >= 1 && alpha + beta > 2)) throw new RangeError(`prior must have alpha, beta >= 1 and alpha + beta > 2, got alpha ${alpha}, beta ${beta}`);
  const lambda = o.scorePenalty ?? 0.1;
  if (!(lambda > 0)) throw new RangeError(`scorePenalty must be > 0, got ${lambda}`);
  for (const [id, eta] of Object.entries(o.fixedReliability ?? {})) {
    if (!(eta >= 0 && eta <= 1)) throw new RangeError(`fixedReliability.${id} must be in [0, 1], got ${eta}`);
  }
  return { alpha, beta, lambda, tolerance: o.tolerance ?? 1e-6, maxIterations: o.maxIterations ?? 2000 };
}

type State = {
  /** η per source (sources); fixed ones never change. */
  eta: Float64Array;
  fixed: (number | undefined)[];
  /** Item scores (items). */
  s: Float64Array;
  /** Scratch: Σ r_c per source (sources) and the score gradient (items), refilled by each step. */
  truthful: Float64Array;
  grad: Float64Array;
};

/**
 * One EM iteration over the judgements in `d`; returns the largest change of
 * any η or score. O(judgements + items), no allocation: it runs a few hundred times.
 */
function emStep(st: State, d: Indexed, o: ReturnType<typeof checkOptions>): number {
  const { src, win, lose, counts, degree } = d;
  const { eta, s, truthful, grad } = st;
  truthful.fill(0);
  for (let i = 0; i < s.length; i++) grad[i] = -o.lambda * s[i]!;
  for (let c = 0; c < src.length; c++) {
    const k = src[c]!;
    const w = win[c]!;
    const l = lose[c]!;
    const p = sigmoid(s[w]! - s[l]!);
    const a = eta[k]! * p;
    const r = a / (a + (1 - eta[k]!) * (1 - p)); // E-step: P(judgement c truthful)
    truthful[k]! += r;
    // ∂/∂d of r·log σ(d) + (1 − r)·log σ(−d) is r − σ(d).
    grad[w]! += r - p;
    grad[l]! -= r - p;
  }
  let change = 0;
  for (let k = 0; k < eta.length; k++) {
    if (st.fixed[k] !== undefined || counts[k] === 0) continue;
    const next = (truthful[k]! + o.alpha - 1) / (counts[k]! + o.alpha + o.beta - 2);
    change = Math.max(change, Math.abs(next - eta[k]!));
    eta[k] = next;
  }
  for (let i = 0; i < s.length; i++) {
    const step = grad[i]! / (degree[i]! / 2 + o.lambda);
    change = Math.max(change, Math.abs(step));
    s[i]! += step;
  }
  return change;
}

/**
 * Fits η per source and a score per item; see the module comment for the
 * model and the EM steps. The scores start from what the fixed sources alone
 * say, so known answers pick which of the model's mirror-image optima
 * (all η ↔ 1 − η, s ↔ −s) EM climbs to; without them, from zero.
 */
export function crowdBT(judgements: readonly Judgement[], opts: CrowdBtOptions = {}): CrowdBtFit {
  const o = checkOptions(opts);
  const data = index(judgements);
  const fixed = data.sources.map((s) => opts.fixedReliability?.[s]);
  const mode = (o.alpha - 1) / (o.alpha + o.beta - 2);
  const st: State = {
    fixed,
    eta: Float64Array.from(fixed, (f) => f ?? mode),
    s: new Float64Array(data.items.length),
    truthful: new Float64Array(data.sources.length),
    grad: new Float64Array(data.items.length),
  };
  if (fixed.some((f) => f !== undefined)) {
    const known = subset(data, (k) => fixed[k] !== undefined);
    for (let i = 0; i < o.maxIterations && emStep(st, known, o) >= o.tolerance; i++);
  }
  let iterations = 0;
  let converged = false;
  while (!converged && iterations < o.maxIterations) {
    iterations++;
    converged = emStep(st, data, o) < o.tolerance;
  }
  const reliability: Record<string, SourceReliability> = {};
  data.sources.forEach((id, k) => {
    if (fixed[k] === undefined) reliability[id] = { eta: st.eta[k]!, judgements: data.counts[k]! };
  });
  return { reliability, scores: Object.fromEntries(data.items.map((id, i) => [id, st.s[i]!])), iterations, converged };
}
