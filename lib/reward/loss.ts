/**
 * Bradley–Terry preference loss: P(chosen ≻ rejected) = σ(r_c − r_r − m),
 * loss = −log σ(Δ) = softplus(−Δ), computed without overflow for any Δ.
 */

/** log(1 + eˣ) without overflow for large x or precision loss for very negative x. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Logistic σ(x), evaluated on the side where exp cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Loss of one pair and its gradients with respect to both rewards. */
export interface PairLoss {
  loss: number;
  dChosen: number;
  dRejected: number;
}

/**
 * −log σ(r_chosen − r_rejected − margin). The gradient of softplus(−Δ) is
 * −σ(−Δ) with respect to Δ, which tends to 0 (not NaN) as Δ grows.
 */
export function bradleyTerryLoss(rChosen: number, rRejected: number, margin = 0): PairLoss {
  const delta = rChosen - rRejected - margin;
  const g = sigmoid(-delta);
  return { loss: softplus(-delta), dChosen: -g, dRejected: g };
}

/**
 * A prompt's pairs with completions replaced by local indexes 0..k−1, so
 * each completion's reward is computed once per group (InstructGPT).
 */
export interface IndexedPairs {
  chosen: Int32Array;
  rejected: Int32Array;
  margins: Float64Array;
}

/**
 * Mean BT loss over a group's pairs, given the rewards of its k completions.
 * When `dRewards` (k) is passed, dLoss/dr is added to it (scaled by `scale`).
 * `offset` locates the group's completions inside batch-wide reward arrays.
 *
 * `centering` > 0 adds centering · mean((r_c + r_r)²) — the auxiliary term of
 * Eisenstein et al. 2023 (TRL's center_rewards_coefficient) that keeps
 * rewards near 0, since BT only sees differences and the offset can drift.
 */
export function groupLoss(
  rewards: ArrayLike<number>,
  pairs: IndexedPairs,
  dRewards?: Float64Array,
  centering = 0,
  scale = 1,
  offset = 0,
): number {
  const n = pairs.chosen.length;
  if (n === 0) return 0;
  let total = 0;
  const w = scale / n;
  for (let p = 0; p < n; p++) {
    const c = offset + pairs.chosen[p];
    const r = offset + pairs.rejected[p];
    const rc = rewards[c];
    const rr = rewards[r];
    const delta = rc - rr - pairs.margins[p];
    total += softplus(-delta);
    let dc = -sigmoid(-delta);
    let dr = -dc;
    if (centering > 0) {
      const s = rc + rr;
      total += centering * s * s;
      dc += 2 * centering * s;
      dr += 2 * centering * s;
    }
    if (dRewards) {
      dRewards[c] += w * dc;
      dRewards[r] += w * dr;
    }
  }
  return total / n;
}

/**
 * Mean group loss and strict pairwise accuracy (a tie counts wrong) over
 * `groups`, given each group's rewards index-aligned with its completions.
 */
export function lossAndAccuracy<G extends IndexedPairs>(groups: readonly G[], rewardsOf: (group: G) => ArrayLike<number>): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  let pairs = 0;
  for (const g of groups) {
    const rewards = rewardsOf(g);
    loss += groupLoss(rewards, g);
    for (let p = 0; p < g.chosen.length; p++) if (rewards[g.chosen[p]] > rewards[g.rejected[p]]) correct++;
    pairs += g.chosen.length;
  }
  return { loss: groups.length ? loss / groups.length : 0, accuracy: pairs ? correct / pairs : 0 };
}
