import type { Ranking } from "@/lib/stats/types";

/** The known answer for a gold prompt: its best and/or worst completion, and why (shown after a miss). */
export type GoldAnswer = { best?: string; worst?: string; rationale?: string };

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
    for (const credit of goldCredits(r.ranks, answer)) {
      a.checks += 1;
      a.correct += credit;
    }
  }
  const out: Record<string, GoldAccuracy> = {};
  for (const id of [...acc.keys()].sort()) {
    const a = acc.get(id)!;
    out[id] = { accuracy: a.checks === 0 ? null : a.correct / a.checks, checks: a.checks, correct: a.correct };
  }
  return out;
}

/**
 * The credit of each check one ranking makes against a gold answer (best, then
 * worst): 1 when the known completion holds that place alone, 1/t when it
 * shares it with t − 1 others, 0 otherwise; a check on a completion the
 * ranking does not rank is left out.
 */
function goldCredits(ranks: Readonly<Record<string, number>>, answer: GoldAnswer): number[] {
  const values = Object.values(ranks);
  const credits: number[] = [];
  const checks: [string | undefined, number][] = [
    [answer.best, Math.min(...values)],
    [answer.worst, Math.max(...values)],
  ];
  for (const [id, target] of checks) {
    if (id === undefined || !Object.hasOwn(ranks, id)) continue;
    credits.push(ranks[id] === target ? 1 / values.filter((x) => x === target).length : 0);
  }
  return credits;
}

/**
 * A miss on a gold prompt: the known best is not ranked alone at the top, or
 * the known worst not alone at the bottom — anything short of full credit in
 * goldAccuracy (so tying the best with another is a miss too).
 */
export function isGoldMiss(ranks: Readonly<Record<string, number>>, answer: GoldAnswer): boolean {
  return goldCredits(ranks, answer).some((credit) => credit < 1);
}
