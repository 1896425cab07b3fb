import type { Ranking } from "@/lib/stats/types";

/** The known answer for a gold prompt: its best and/or worst completion. */
export type GoldAnswer = { best?: string; worst?: string };

export type GoldAccuracy = {
  /** Credit earned over checks made; null when the annotator met no gold prompt. */
  accuracy: number | null;
  /** Number of checks (one for best, one for worst, per gold prompt ranked). */
  checks: number;
  correct: number;
};

/**
 * Annotator accuracy on gold prompts. Each known best (worst) is a check: full
 * credit when the annotator ranked it alone at the top (bottom), 1/t credit
 * when it shares that place with t − 1 others, so tying everything earns no
 * more than guessing. Checks on completions the annotator did not rank are skipped.
 */
export function goldAccuracy(
  rankings: Iterable<Ranking>,
  gold: Readonly<Record<string, GoldAnswer>>,
): Record<string, GoldAccuracy> {
  const acc = new Map<string, { checks: number; correct: number }>();
  for (const r of rankings) {
    const answer = gold[r.promptId];
    if (!answer) continue;
    const a = acc.get(r.annotatorId) ?? { checks: 0, correct: 0 };
    acc.set(r.annotatorId, a);
    const ranks = Object.values(r.ranks);
    const checks: [string | undefined, number][] = [
      [answer.best, Math.min(...ranks)],
      [answer.worst, Math.max(...ranks)],
    ];
    for (const [id, target] of checks) {
      if (id === undefined || !Object.hasOwn(r.ranks, id)) continue;
      a.checks += 1;
      if (r.ranks[id] === target) a.correct += 1 / ranks.filter((x) => x === target).length;
    }
  }
  const out: Record<string, GoldAccuracy> = {};
  for (const id of [...acc.keys()].sort()) {
    const a = acc.get(id)!;
    out[id] = { accuracy: a.checks === 0 ? null : a.correct / a.checks, checks: a.checks, correct: a.correct };
  }
  return out;
}
