/**
 * One annotator's drill-down: how much and when they rank, how long they
 * take, whether position or length sways them, and how they agree with the
 * others, with gold answers and with verifiers. Built from the pieces in
 * bias.ts, gold.ts, pairwise-agreement.ts, kendall.ts and reliability.ts.
 */
import { biasDiagnostics, type BiasDiagnostics } from "@/lib/stats/bias";
import type { SourceReliability } from "@/lib/stats/crowd-bt";
import { goldAccuracy, type GoldAccuracy, type GoldAnswer } from "@/lib/stats/gold";
import { tauToConsensus, type ConsensusTau } from "@/lib/stats/kendall";
import { pairwiseAgreement, type AgreementCount } from "@/lib/stats/pairwise-agreement";
import { verifierAgreement, type VerifierAgreement, type Verdicts } from "@/lib/stats/reliability";
import { groupByPrompt, type Ranking } from "@/lib/stats/types";

export type ProfileRanking = Ranking & {
  shownOrder: readonly string[];
  /** Epoch milliseconds of submission. */
  createdAt: number;
  timeSpentMs: number;
};

export type ProfileContext = {
  /** Completion id → length (characters). */
  lengths: ReadonlyMap<string, number>;
  gold: Readonly<Record<string, GoldAnswer>>;
  verdicts: Verdicts;
  reliability?: SourceReliability;
};

/** Upper bounds (ms) of the time-spent buckets; the last bucket is open. */
export const TIME_BUCKETS_MS = [5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000] as const;

export type AnnotatorProfile = {
  rankings: number;
  /** Rankings per UTC day, every day from the first to the last (at most the last 366). */
  perDay: { day: string; rankings: number }[];
  /** Count per bucket of {@link TIME_BUCKETS_MS}: [0, 5 s), [5 s, 10 s), …, [10 min, ∞). */
  timeHistogram: { fromMs: number; toMs: number | null; rankings: number }[];
  medianTimeMs: number | null;
  /** Per shown position (0 = first): share of rankings where it was ranked best (a tie at the top splits the win) against chance. */
  positionWins: { position: number; rate: number; expected: number; n: number }[];
  bias: BiasDiagnostics;
  /** Against every other annotator on shared prompts (ties excluded). */
  agreement: AgreementCount | null;
  /** Kendall's tau-b to the leave-one-out consensus. */
  tauToConsensus: ConsensusTau | null;
  gold: GoldAccuracy | null;
  verifier: VerifierAgreement | null;
  reliability: SourceReliability | null;
};

const DAY_MS = 86_400_000;

function perDay(own: readonly ProfileRanking[]): AnnotatorProfile["perDay"] {
  if (own.length === 0) return [];
  const days = own.map((r) => Math.floor(r.createdAt / DAY_MS));
  const last = Math.max(...days);
  const first = Math.max(Math.min(...days), last - 365);
  const counts = new Map<number, number>();
  for (const d of days) counts.set(d, (counts.get(d) ?? 0) + 1);
  const out: AnnotatorProfile["perDay"] = [];
  for (let d = first; d <= last; d++) out.push({ day: new Date(d * DAY_MS).toISOString().slice(0, 10), rankings: counts.get(d) ?? 0 });
  return out;
}

function timeHistogram(own: readonly ProfileRanking[]): AnnotatorProfile["timeHistogram"] {
  const edges = [0, ...TIME_BUCKETS_MS];
  const out = edges.map((fromMs, i) => ({ fromMs, toMs: TIME_BUCKETS_MS[i] ?? null, rankings: 0 }));
  for (const r of own) {
    const i = TIME_BUCKETS_MS.findIndex((edge) => r.timeSpentMs < edge);
    out[i === -1 ? out.length - 1 : i]!.rankings += 1;
  }
  return out;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function positionWins(own: readonly ProfileRanking[]): AnnotatorProfile["positionWins"] {
  const acc: { wins: number; expected: number; n: number }[] = [];
  for (const r of own) {
    const ids = r.shownOrder.filter((id) => Object.hasOwn(r.ranks, id));
    if (ids.length < 2) continue;
    const best = Math.min(...ids.map((id) => r.ranks[id]!));
    const winners = ids.filter((id) => r.ranks[id] === best).length;
    ids.forEach((id, position) => {
      const a = (acc[position] ??= { wins: 0, expected: 0, n: 0 });
      a.wins += r.ranks[id] === best ? 1 / winners : 0;
      a.expected += 1 / ids.length;
      a.n += 1;
    });
  }
  return acc.map((a, position) => ({ position, rate: a.wins / a.n, expected: a.expected / a.n, n: a.n }));
}

/** The drill-down of `annotatorId` among `all` of a project's rankings (theirs and everyone else's). */
export function annotatorProfile(all: readonly ProfileRanking[], annotatorId: string, ctx: ProfileContext): AnnotatorProfile {
  const own = all.filter((r) => r.annotatorId === annotatorId);
  const lengthOf = (id: string) => ctx.lengths.get(id) ?? 0;
  const byPrompt = groupByPrompt(all);
  return {
    rankings: own.length,
    perDay: perDay(own),
    timeHistogram: timeHistogram(own),
    medianTimeMs: median(own.map((r) => r.timeSpentMs)),
    positionWins: positionWins(own),
    bias: biasDiagnostics(own.map((r) => ({ ranks: r.ranks, shownOrder: r.shownOrder, lengths: Object.fromEntries(Object.keys(r.ranks).map((id) => [id, lengthOf(id)])) }))),
    agreement: pairwiseAgreement(byPrompt).perAnnotator[annotatorId] ?? null,
    tauToConsensus: tauToConsensus(byPrompt)[annotatorId] ?? null,
    gold: goldAccuracy(own, ctx.gold)[annotatorId] ?? null,
    verifier: verifierAgreement(own, ctx.verdicts)[annotatorId] ?? null,
    reliability: ctx.reliability ?? null,
  };
}
