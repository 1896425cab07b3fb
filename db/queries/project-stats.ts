import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { biasDiagnostics, goldAccuracy, groupByPrompt, krippendorffAlpha, pairwiseAgreement, reliabilityDataFromRankings, tauToConsensus, type Ranking } from "@/lib/stats";
import { getDb } from "../client";

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Everything the admin's monitoring panel shows for one project. */
export async function getProjectStats({ projectId }: { projectId: string }) {
  const { db, t } = getDb();
  const [project] = await db.select().from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
  if (!project) return null;
  const prompts = await db.select({ id: t.prompts.id, gold: t.prompts.gold }).from(t.prompts).where(eq(t.prompts.projectId, projectId));
  const completionRows = await db
    .select({ id: t.completions.id, promptId: t.completions.promptId, length: sql<number>`length(${t.completions.text})`, preset: t.completions.presetName })
    .from(t.completions)
    .innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId))
    .where(eq(t.prompts.projectId, projectId));
  const rankings = await db
    .select({ r: t.rankings, name: t.users.name })
    .from(t.rankings)
    .innerJoin(t.users, eq(t.users.id, t.rankings.userId))
    .where(eq(t.rankings.projectId, projectId));
  const active = await db
    .select({ promptId: t.assignments.promptId })
    .from(t.assignments)
    .where(and(eq(t.assignments.projectId, projectId), eq(t.assignments.status, "active"), gt(t.assignments.leaseExpiresAt, new Date())));
  const skips = await db
    .select({ userId: t.assignments.userId, n: sql<number>`count(*)` })
    .from(t.assignments)
    .where(and(eq(t.assignments.projectId, projectId), eq(t.assignments.status, "skipped")))
    .groupBy(t.assignments.userId);

  // Rejected rankings do not count towards N: their prompts are back in the queue.
  const rankingsPerPrompt = new Map<string, number>();
  for (const { r } of rankings) if (r.reviewStatus !== "rejected") rankingsPerPrompt.set(r.promptId, (rankingsPerPrompt.get(r.promptId) ?? 0) + 1);
  const leased = new Set(active.map((a) => a.promptId));
  const withCompletions = new Set(completionRows.map((c) => c.promptId));
  const done = prompts.filter((p) => (rankingsPerPrompt.get(p.id) ?? 0) >= project.rankingsPerPrompt).length;
  const inProgress = prompts.filter((p) => (rankingsPerPrompt.get(p.id) ?? 0) < project.rankingsPerPrompt && ((rankingsPerPrompt.get(p.id) ?? 0) > 0 || leased.has(p.id))).length;

  const asRankings: Ranking[] = rankings.map(({ r }) => ({ annotatorId: r.userId, promptId: r.promptId, ranks: r.ranks }));
  const byPrompt = groupByPrompt(asRankings);
  const agreement = pairwiseAgreement(byPrompt);
  const tau = tauToConsensus(byPrompt);
  const alphaData = reliabilityDataFromRankings(asRankings);
  const alpha = alphaData.length >= 2 ? krippendorffAlpha(alphaData, "ordinal") : null;
  const gold = Object.fromEntries(prompts.filter((p) => p.gold).map((p) => [p.id, p.gold!]));
  const goldAcc = goldAccuracy(asRankings, gold);
  const lengths = new Map(completionRows.map((c) => [c.id, Number(c.length)]));
  const bias = biasDiagnostics(rankings.map(({ r }) => ({ ranks: r.ranks, shownOrder: r.shownOrder, lengths: Object.fromEntries(Object.keys(r.ranks).map((id) => [id, lengths.get(id) ?? 0])) })));

  const skipByUser = new Map(skips.map((s) => [s.userId, Number(s.n)]));
  const annotators = new Map<string, { userId: string; name: string; rankings: number; times: number[] }>();
  for (const { r, name } of rankings) {
    const a = annotators.get(r.userId) ?? { userId: r.userId, name, rankings: 0, times: [] };
    a.rankings++;
    a.times.push(r.timeSpentMs);
    annotators.set(r.userId, a);
  }
  const totalSkips = [...skipByUser.values()].reduce((a, b) => a + b, 0);
  return {
    prompts: { total: prompts.length, withCompletions: withCompletions.size, done, inProgress, waiting: prompts.length - done - inProgress },
    rankings: rankings.length,
    medianTimeMs: median(rankings.map(({ r }) => r.timeSpentMs)),
    skipRate: rankings.length + totalSkips ? totalSkips / (rankings.length + totalSkips) : null,
    agreement: { pairwise: agreement.overall.rate, comparisons: agreement.overall.comparisons, krippendorffAlpha: alpha },
    annotators: [...annotators.values()].map((a) => ({
      userId: a.userId,
      name: a.name,
      rankings: a.rankings,
      skips: skipByUser.get(a.userId) ?? 0,
      medianTimeMs: median(a.times),
      pairwiseAgreement: agreement.perAnnotator[a.userId]?.rate ?? null,
      tauToConsensus: tau[a.userId]?.meanTau ?? null,
      goldAccuracy: goldAcc[a.userId]?.accuracy ?? null,
    })),
    bias: { firstShownWins: bias.firstShownWins, longestWins: bias.longestWins },
  };
}
export type ProjectStats = NonNullable<Awaited<ReturnType<typeof getProjectStats>>>;
