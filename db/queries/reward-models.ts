import "server-only";
import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, isNull, max, sql } from "drizzle-orm";
import { getDb } from "../client";

export type RewardModelRow = ReturnType<typeof getDb>["t"]["rewardModels"]["$inferSelect"];
export type RewardModelSummary = Omit<RewardModelRow, "weights">;

/** Completions of a project that have no cached features yet, with their prompt (the featurize job's work list). */
export async function listCompletionsWithoutFeatures({ projectId, limit }: { projectId: string; limit: number }) {
  const { db, t } = getDb();
  return db
    .select({ id: t.completions.id, text: t.completions.text, promptText: t.prompts.text, promptMessages: t.prompts.messages })
    .from(t.completions)
    .innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId))
    .where(and(eq(t.prompts.projectId, projectId), isNull(t.completions.features)))
    .orderBy(asc(t.completions.id))
    .limit(limit);
}

/** The given completions with their prompts (mode (b) trains on their token ids; the verifier judges them). */
export async function listCompletionTexts({ ids }: { ids: string[] }) {
  const { db, t } = getDb();
  type Prompt = typeof t.prompts.$inferSelect;
  const out: { id: string; text: string; promptText: string | null; promptMessages: Prompt["messages"]; verifierId: string | null; metadata: Prompt["metadata"] }[] = [];
  // Chunks keep the IN list under SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    out.push(...(await db
      .select({
        id: t.completions.id, text: t.completions.text, promptText: t.prompts.text, promptMessages: t.prompts.messages,
        verifierId: t.prompts.verifierId, metadata: t.prompts.metadata,
      })
      .from(t.completions)
      .innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId))
      .where(inArray(t.completions.id, ids.slice(i, i + 500)))));
  }
  return out;
}

export async function countCompletions({ projectId, withFeatures }: { projectId: string; withFeatures?: boolean }): Promise<number> {
  const { db, t } = getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(t.completions)
    .innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId))
    .where(and(eq(t.prompts.projectId, projectId), withFeatures === undefined ? undefined : withFeatures ? isNotNull(t.completions.features) : isNull(t.completions.features)));
  return Number(row?.n ?? 0);
}

export async function setCompletionFeatures({ id, features }: { id: string; features: Buffer }): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.update(t.completions).set({ features }).where(eq(t.completions.id, id)));
}

/** Every cached feature vector of a project's completions, by completion id. */
export async function listProjectFeatures({ projectId }: { projectId: string }): Promise<Map<string, Uint8Array>> {
  const { db, t } = getDb();
  const rows = await db
    .select({ id: t.completions.id, features: t.completions.features })
    .from(t.completions)
    .innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId))
    .where(and(eq(t.prompts.projectId, projectId), isNotNull(t.completions.features)));
  return new Map(rows.map((r) => [r.id, r.features!]));
}

/** A new "training" row with the next version number (one transaction, so two runs never share a version). */
export async function createRewardModel(input: { projectId: string; config: Record<string, unknown>; jobId: string }): Promise<RewardModelRow> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [top] = await db.select({ v: max(t.rewardModels.version) }).from(t.rewardModels).where(eq(t.rewardModels.projectId, input.projectId));
    const [row] = await db.insert(t.rewardModels).values({ ...input, version: Number(top?.v ?? 0) + 1, status: "training" }).returning();
    return row;
  });
}

export async function getRewardModelByJob({ jobId }: { jobId: string }): Promise<RewardModelRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.rewardModels).where(eq(t.rewardModels.jobId, jobId)).limit(1);
  return row;
}

export async function updateRewardModel({ id, ...patch }: { id: string } & Partial<Pick<RewardModelRow, "metrics" | "dataSnapshot" | "weights" | "status">>): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.update(t.rewardModels).set(patch).where(eq(t.rewardModels.id, id)));
}

/** Marks the model ready together with its weights and every score, so a reader never sees a half-scored model. */
export async function finishRewardModel(input: { id: string; metrics: Record<string, unknown>; dataSnapshot: Record<string, unknown>; weights: Buffer; scores: { completionId: string; score: number }[] }): Promise<void> {
  const { t, tx } = getDb();
  await tx(async (db) => {
    await db.delete(t.rewardScores).where(eq(t.rewardScores.rewardModelId, input.id));
    for (let i = 0; i < input.scores.length; i += 500) {
      await db.insert(t.rewardScores).values(input.scores.slice(i, i + 500).map((s) => ({ ...s, rewardModelId: input.id })));
    }
    await db.update(t.rewardModels).set({ metrics: input.metrics, dataSnapshot: input.dataSnapshot, weights: input.weights, status: "ready" }).where(eq(t.rewardModels.id, input.id));
  });
}

/** A project's reward models, newest first, without their weights. */
export async function listRewardModels({ projectId }: { projectId: string }): Promise<RewardModelSummary[]> {
  const { db, t } = getDb();
  const { weights: _w, ...cols } = getTableColumns(t.rewardModels);
  return db.select(cols).from(t.rewardModels).where(eq(t.rewardModels.projectId, projectId)).orderBy(desc(t.rewardModels.version));
}

export async function getRewardModel({ id }: { id: string }): Promise<RewardModelRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.rewardModels).where(eq(t.rewardModels.id, id)).limit(1);
  return row;
}

/** The project's newest reward model that finished training (what best-of-N and the score reveal use). */
export async function getNewestReadyRewardModel({ projectId }: { projectId: string }): Promise<RewardModelRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db
    .select()
    .from(t.rewardModels)
    .where(and(eq(t.rewardModels.projectId, projectId), eq(t.rewardModels.status, "ready")))
    .orderBy(desc(t.rewardModels.version))
    .limit(1);
  return row;
}

/** Scores of one reward model for the given completions. */
export async function listRewardScores({ rewardModelId, completionIds }: { rewardModelId: string; completionIds?: string[] }): Promise<Map<string, number>> {
  const { db, t } = getDb();
  const rows = await db
    .select({ id: t.rewardScores.completionId, score: t.rewardScores.score })
    .from(t.rewardScores)
    .where(and(eq(t.rewardScores.rewardModelId, rewardModelId), completionIds ? inArray(t.rewardScores.completionId, completionIds) : undefined));
  return new Map(rows.map((r) => [r.id, r.score]));
}
