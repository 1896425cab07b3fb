/**
 * Per-annotator reliability from three kinds of evidence at once: agreement
 * with the other annotators, gold answers and rule-based verifiers. Each
 * becomes pairwise judgements for {@link crowdBT}; gold and verifiers are
 * sources whose reliability is fixed, so an annotator who contradicts them
 * loses reliability even where nobody else ranked the prompt.
 */
import { crowdBT, type CrowdBtOptions, type Judgement, type SourceReliability } from "@/lib/stats/crowd-bt";
import type { GoldAnswer } from "@/lib/stats/gold";
import { preferenceSign } from "@/lib/stats/types";
import type { Ranking } from "@/lib/stats/types";

/** Reserved source ids; annotator ids are UUIDs, so they cannot collide. */
export const GOLD_SOURCE = "(gold)";
export const VERIFIER_SOURCE = "(verifier)";

/**
 * How far the fixed sources are trusted: an admin's gold answer fully, a
 * verifier (an answer checker that can misread a format) a little less.
 */
export const FIXED_RELIABILITY = { [GOLD_SOURCE]: 1, [VERIFIER_SOURCE]: 0.95 } as const;

/** Completion id → whether the prompt's verifier accepts it, per prompt id. */
export type Verdicts = Readonly<Record<string, Readonly<Record<string, boolean>>>>;

/** Every strict preference of every ranking as a judgement by its annotator; a tie states no order and is left out. */
export function judgementsFromRankings(rankings: Iterable<Ranking>): Judgement[] {
  const out: Judgement[] = [];
  for (const r of rankings) {
    const ids = Object.keys(r.ranks).sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const sign = preferenceSign(r.ranks[ids[i]!]!, r.ranks[ids[j]!]!);
        if (sign === 0) continue;
        const [winner, loser] = sign > 0 ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!];
        out.push({ source: r.annotatorId, winner, loser });
      }
    }
  }
  return out;
}

/**
 * Gold answers as judgements of {@link GOLD_SOURCE}: the known best beats
 * every other completion of its prompt and every other beats the known worst
 * (best over worst once).
 */
export function goldJudgements(completionsByPrompt: Readonly<Record<string, readonly string[]>>, gold: Readonly<Record<string, GoldAnswer>>): Judgement[] {
  const out: Judgement[] = [];
  for (const [promptId, answer] of Object.entries(gold)) {
    const ids = completionsByPrompt[promptId] ?? [];
    const pairs = new Set<string>();
    const add = (winner: string, loser: string) => {
      if (winner === loser || pairs.has(`${winner}>${loser}`)) return;
      pairs.add(`${winner}>${loser}`);
      out.push({ source: GOLD_SOURCE, winner, loser });
    };
    const { best, worst } = answer;
    if (best !== undefined && ids.includes(best)) for (const id of ids) add(best, id);
    if (worst !== undefined && ids.includes(worst)) for (const id of ids) add(id, worst);
  }
  return out;
}

/** Verdicts as judgements of {@link VERIFIER_SOURCE}: each accepted completion beats each rejected one of its prompt. */
export function verifierJudgements(verdicts: Verdicts): Judgement[] {
  const out: Judgement[] = [];
  for (const byCompletion of Object.values(verdicts)) {
    const ids = Object.keys(byCompletion).sort();
    for (const w of ids) for (const l of ids) if (byCompletion[w] && !byCompletion[l]) out.push({ source: VERIFIER_SOURCE, winner: w, loser: l });
  }
  return out;
}

export type ReliabilityEvidence = {
  rankings: readonly Ranking[];
  /** Prompt id → its completion ids, for the gold judgements. */
  completionsByPrompt?: Readonly<Record<string, readonly string[]>>;
  gold?: Readonly<Record<string, GoldAnswer>>;
  verdicts?: Verdicts;
};

/**
 * CrowdBT reliability of every annotator in `rankings` (an annotator whose
 * rankings hold only ties gets the prior's mode with 0 judgements).
 */
export function annotatorReliability(e: ReliabilityEvidence, opts: Omit<CrowdBtOptions, "fixedReliability"> = {}): Record<string, SourceReliability> {
  const judgements = [
    ...judgementsFromRankings(e.rankings),
    ...goldJudgements(e.completionsByPrompt ?? {}, e.gold ?? {}),
    ...verifierJudgements(e.verdicts ?? {}),
  ];
  const { reliability } = crowdBT(judgements, { ...opts, fixedReliability: FIXED_RELIABILITY });
  const { alpha, beta } = opts.prior ?? { alpha: 4, beta: 2 };
  const out: Record<string, SourceReliability> = {};
  for (const id of [...new Set(e.rankings.map((r) => r.annotatorId))].sort()) {
    out[id] = reliability[id] ?? { eta: (alpha - 1) / (alpha + beta - 2), judgements: 0 };
  }
  return out;
}

export type VerifierAgreement = { rate: number | null; comparisons: number };

/**
 * Per annotator: over their strict preferences between a completion the
 * verifier accepts and one it rejects, the share that prefer the accepted one.
 */
export function verifierAgreement(rankings: Iterable<Ranking>, verdicts: Verdicts): Record<string, VerifierAgreement> {
  // Completion ids are unique across prompts, so one flat map answers for every prompt.
  const verdict = new Map(Object.values(verdicts).flatMap((v) => Object.entries(v)));
  const acc = new Map<string, { agree: number; n: number }>();
  for (const j of judgementsFromRankings(rankings)) {
    const w = verdict.get(j.winner);
    const l = verdict.get(j.loser);
    if (w === undefined || l === undefined || w === l) continue;
    const a = acc.get(j.source) ?? { agree: 0, n: 0 };
    a.n += 1;
    if (w) a.agree += 1;
    acc.set(j.source, a);
  }
  const out: Record<string, VerifierAgreement> = {};
  for (const id of [...acc.keys()].sort()) out[id] = { rate: acc.get(id)!.agree / acc.get(id)!.n, comparisons: acc.get(id)!.n };
  return out;
}
