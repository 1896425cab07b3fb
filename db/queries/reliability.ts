import "server-only";
import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { ReviewStatus } from "@/lib/datasets/review-status";
import { annotatorReliability, type GoldAnswer, type Ranking, type SourceReliability, type Verdicts } from "@/lib/stats";
import { verdictFor } from "@/lib/tasks/verdict";
import { getDb } from "../client";

/** A ranking as the quality figures read it: the annotator's own latest ranks (never a reviewer's re-ranking). */
export type EvidenceRanking = Ranking & {
  shownOrder: string[];
  createdAt: Date;
  timeSpentMs: number;
  reviewStatus: ReviewStatus;
};

export type ProjectEvidence = {
  rankings: EvidenceRanking[];
  /** Completion id → length in characters. */
  lengths: Map<string, number>;
  /** Prompt id → its completion ids. */
  completionsByPrompt: Record<string, string[]>;
  gold: Record<string, GoldAnswer>;
  verdicts: Verdicts;
};

/**
 * Everything the reliability estimate and the annotator drill-down read for
 * one project: every ranking (rejected ones too: they say something about
 * their annotator), completion lengths, gold answers and, for prompts with a
 * verifier, its verdict on each completion.
 */
export async function loadProjectEvidence({ projectId }: { projectId: string }): Promise<ProjectEvidence> {
  const { db, t } = getDb();
  const [rankings, completions, checked] = await Promise.all([
    db
      .select({ annotatorId: t.rankings.userId, promptId: t.rankings.promptId, ranks: t.rankings.ranks, shownOrder: t.rankings.shownOrder, createdAt: t.rankings.createdAt, timeSpentMs: t.rankings.timeSpentMs, reviewStatus: t.rankings.reviewStatus })
      .from(t.rankings)
      .where(eq(t.rankings.projectId, projectId)),
    db
      .select({ id: t.completions.id, promptId: t.completions.promptId, length: sql<number>`length(${t.completions.text})` })
      .from(t.completions)
      .innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId))
      .where(eq(t.prompts.projectId, projectId)),
    db
      .select({ id: t.prompts.id, gold: t.prompts.gold, verifierId: t.prompts.verifierId, metadata: t.prompts.metadata })
      .from(t.prompts)
      .where(and(eq(t.prompts.projectId, projectId), or(isNotNull(t.prompts.gold), isNotNull(t.prompts.verifierId)))),
  ]);
  const completionsByPrompt: Record<string, string[]> = {};
  for (const c of completions) (completionsByPrompt[c.promptId] ??= []).push(c.id);
  const gold = Object.fromEntries(checked.filter((p) => p.gold).map((p) => [p.id, p.gold!]));
  return { rankings, lengths: new Map(completions.map((c) => [c.id, Number(c.length)])), completionsByPrompt, gold, verdicts: await loadVerdicts(checked) };
}

/** The verifier's verdict on every completion of the prompts that have one (texts are read only for those). */
async function loadVerdicts(prompts: { id: string; verifierId: string | null; metadata: Record<string, unknown> | null }[]): Promise<Verdicts> {
  const verified = prompts.filter((p) => p.verifierId);
  if (verified.length === 0) return {};
  const { db, t } = getDb();
  const byId = new Map(verified.map((p) => [p.id, p]));
  const out: Record<string, Record<string, boolean>> = {};
  // Chunked so a project with many verified prompts stays under the drivers' parameter limits.
  for (let i = 0; i < verified.length; i += 500) {
    const ids = verified.slice(i, i + 500).map((p) => p.id);
    const rows = await db.select({ id: t.completions.id, promptId: t.completions.promptId, text: t.completions.text }).from(t.completions).where(inArray(t.completions.promptId, ids));
    for (const c of rows) {
      const verdict = verdictFor(byId.get(c.promptId)!, c.text);
      if (verdict) (out[c.promptId] ??= {})[c.id] = verdict.correct;
    }
  }
  return out;
}

/** CrowdBT reliability of every annotator of a project, from agreement with the others, gold answers and verifiers. */
export async function getProjectReliability({ projectId }: { projectId: string }): Promise<Record<string, SourceReliability>> {
  return annotatorReliability(await loadProjectEvidence({ projectId }));
}

/** Annotator id → CrowdBT η, as an export's reliability filter and weights read it. */
export async function getReliabilityScores({ projectId }: { projectId: string }): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await getProjectReliability({ projectId })).map(([id, r]) => [id, r.eta]));
}
