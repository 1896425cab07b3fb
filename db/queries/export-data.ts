import "server-only";
import { and, asc, eq, gt, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import { DEFAULT_EXPORT_REVIEW_STATUSES, type ReviewStatus } from "@/lib/datasets/review-status";
import type { ChatMessage, PromptGroup, RankingRecord } from "@/lib/datasets/types";
import { getDb } from "../client";

type Tables = ReturnType<typeof getDb>["t"];
type PromptRow = Tables["prompts"]["$inferSelect"];
type RankingRow = Tables["rankings"]["$inferSelect"];

/** A stored prompt as the conversation lib/datasets pairs against (a plain prompt is one user turn). */
export function promptMessages(p: Pick<PromptRow, "text" | "messages">): ChatMessage[] {
  if (p.messages && p.messages.length > 0) return p.messages.map((m) => ({ role: m.role as ChatMessage["role"], content: m.content }));
  return [{ role: "user", content: p.text ?? "" }];
}

/**
 * A stored ranking in lib/datasets' shape; per-completion flags are flattened
 * (any flag marks it flagged). Imported rankings keep theirs as one list under
 * "" (see import-data.ts), given back in its own order. An adjudicated ranking
 * carries the reviewer's ranks (`adjudicated`), which win over the annotator's.
 */
export function rankingRecord(r: RankingRow, adjudicated?: Record<string, number> | null): RankingRecord {
  const perCompletion = Object.entries(r.flags ?? {});
  const flags = perCompletion.length === 1 && perCompletion[0]![0] === "" ? perCompletion[0]![1] : [...new Set(perCompletion.flatMap(([, f]) => f))].sort();
  return {
    annotatorId: r.userId,
    promptId: r.promptId,
    ranks: r.reviewStatus === "adjudicated" && adjudicated ? adjudicated : r.ranks,
    // An imported ranking nobody reviewed here exports as its file had it (a file's own reviewStatus is in `extra`).
    ...(r.importRunId && r.reviewStatus === "pending" ? {} : { reviewStatus: r.reviewStatus }),
    createdAt: r.createdAt.toISOString(),
    shownOrder: r.shownOrder,
    ratings: r.ratings,
    // Only rankings that rated an aspect carry the field, so projects without aspects export as before.
    ...(Object.keys(r.aspectRatings ?? {}).length > 0 ? { aspectRatings: r.aspectRatings } : {}),
    flags,
    rationale: r.rationale,
    timeSpentMs: r.timeSpentMs,
    ...(r.extra ? { extra: r.extra } : {}),
  };
}

/**
 * Rankings an export (and everything that reads rankings as data: research
 * figures, reward training) sees: those made in the app, and those of
 * imports that finished. An import still running, or one that failed before
 * its sweep, is not half-visible. Of those, only rankings whose review status
 * is in `reviewStatuses`: by default every one but the rejected.
 */
function visibleRankings(t: Tables, reviewStatuses: readonly ReviewStatus[]): SQL {
  const { db } = getDb();
  const done = db.select({ id: t.importRuns.id }).from(t.importRuns).where(eq(t.importRuns.status, "done"));
  return and(or(isNull(t.rankings.importRunId), inArray(t.rankings.importRunId, done)), inArray(t.rankings.reviewStatus, [...reviewStatuses]))!;
}

/** Whole prompt groups (prompt, completions with their own conversations, every visible ranking) by prompt id. */
async function loadGroups(projectId: string, ids: string[], reviewStatuses: readonly ReviewStatus[]): Promise<Map<string, PromptGroup>> {
  const { db, t } = getDb();
  const [prompts, completions, rankings] = await Promise.all([
    db.select().from(t.prompts).where(inArray(t.prompts.id, ids)),
    db.select({ id: t.completions.id, promptId: t.completions.promptId, text: t.completions.text, context: t.completions.context, source: t.completions.source, parentId: t.completions.parentId }).from(t.completions).where(inArray(t.completions.promptId, ids)),
    db
      .select({ r: t.rankings, adjudicated: t.rankingReviews.ranks })
      .from(t.rankings)
      .leftJoin(t.rankingReviews, eq(t.rankingReviews.rankingId, t.rankings.id))
      .where(and(eq(t.rankings.projectId, projectId), inArray(t.rankings.promptId, ids), visibleRankings(t, reviewStatuses)))
      .orderBy(asc(t.rankings.createdAt), asc(t.rankings.id)),
  ]);
  const groups = new Map<string, PromptGroup>();
  for (const p of prompts) groups.set(p.id, { promptId: p.id, prompt: promptMessages(p), completions: {}, rankings: [] });
  for (const c of completions) {
    const g = groups.get(c.promptId)!;
    g.completions[c.id] = c.text;
    if (c.context) (g.contexts ??= {})[c.id] = c.context.map((m) => ({ role: m.role as ChatMessage["role"], content: m.content }));
    // Human-written completions (an annotator's rewrite) → what they were rewritten from.
    if (c.source === "human") (g.rewrites ??= {})[c.id] = c.parentId;
  }
  for (const { r, adjudicated } of rankings) groups.get(r.promptId)?.rankings.push(rankingRecord(r, adjudicated));
  return groups;
}

/**
 * The order an export follows. "prompts": one group per prompt, by prompt id
 * (majority and Bradley–Terry pairs, the dataset card, research figures).
 * "rankings": the rankings in the order they came, each yielded with its
 * whole prompt group (for agreement) and `emit` naming it: rankings made in
 * the app by time, each finished import at its start, in its file's order.
 * An imported file exported again thus comes back in its own order.
 */
export type ExportOrder = "prompts" | "rankings";

/**
 * Streams a project's ranked prompts as lib/datasets PromptGroups, one page
 * at a time, so an export of any size holds only one page of rankings and
 * texts in memory. Only rankings whose review status is in `reviewStatuses`
 * are read: by default every one but the rejected, so exports, reward-model
 * data and the research page leave those out.
 */
export function iterateExportGroups({ projectId, pageSize = 200, order = "prompts", reviewStatuses = DEFAULT_EXPORT_REVIEW_STATUSES }: { projectId: string; pageSize?: number; order?: ExportOrder; reviewStatuses?: readonly ReviewStatus[] }): AsyncGenerator<PromptGroup> {
  return order === "rankings" ? groupsInRankingOrder(projectId, pageSize, reviewStatuses) : groupsByPrompt(projectId, pageSize, reviewStatuses);
}

async function* groupsByPrompt(projectId: string, pageSize: number, reviewStatuses: readonly ReviewStatus[]): AsyncGenerator<PromptGroup> {
  const { db, t } = getDb();
  let after = "";
  for (;;) {
    const page = await db
      .selectDistinct({ id: t.rankings.promptId })
      .from(t.rankings)
      .where(and(eq(t.rankings.projectId, projectId), gt(t.rankings.promptId, after), visibleRankings(t, reviewStatuses)))
      .orderBy(asc(t.rankings.promptId))
      .limit(pageSize);
    if (page.length === 0) return;
    const ids = page.map((p) => p.id);
    after = ids[ids.length - 1]!;
    const groups = await loadGroups(projectId, ids, reviewStatuses);
    for (const id of ids) {
      const g = groups.get(id);
      if (g) yield g;
    }
  }
}

/**
 * Rankings of one stream (app-made, or one import run), a page at a time, each with its group and
 * `emit`. A ranking outside `reviewStatuses` is not in its group, so naming it in `emit` writes nothing.
 */
async function* emitInOrder(projectId: string, rows: RankingRow[], reviewStatuses: readonly ReviewStatus[]): AsyncGenerator<PromptGroup> {
  const groups = await loadGroups(projectId, [...new Set(rows.map((r) => r.promptId))], reviewStatuses);
  // Neighbouring rankings of one prompt share a group, so a file's consecutive pairs stay one write.
  for (let i = 0; i < rows.length; ) {
    const g = groups.get(rows[i]!.promptId);
    let j = i + 1;
    while (j < rows.length && rows[j]!.promptId === rows[i]!.promptId) j++;
    if (g) yield { ...g, emit: rows.slice(i, j).map((r) => r.userId) };
    i = j;
  }
}

async function* groupsInRankingOrder(projectId: string, pageSize: number, reviewStatuses: readonly ReviewStatus[]): AsyncGenerator<PromptGroup> {
  const { db, t } = getDb();
  const runs = await db
    .select({ id: t.importRuns.id, createdAt: t.importRuns.createdAt })
    .from(t.importRuns)
    .where(and(eq(t.importRuns.projectId, projectId), eq(t.importRuns.status, "done")))
    .orderBy(asc(t.importRuns.createdAt), asc(t.importRuns.id));
  // App-made rankings by (createdAt, id), paged up to each run's start.
  let cursor: { createdAt: Date; id: string } | undefined;
  const appRankingsBefore = async function* (until: Date | undefined): AsyncGenerator<PromptGroup> {
    for (;;) {
      const after = cursor ? or(gt(t.rankings.createdAt, cursor.createdAt), and(eq(t.rankings.createdAt, cursor.createdAt), gt(t.rankings.id, cursor.id))) : undefined;
      const rows = await db
        .select()
        .from(t.rankings)
        .where(and(eq(t.rankings.projectId, projectId), isNull(t.rankings.importRunId), after, until ? lt(t.rankings.createdAt, until) : undefined))
        .orderBy(asc(t.rankings.createdAt), asc(t.rankings.id))
        .limit(pageSize);
      if (rows.length === 0) return;
      cursor = { createdAt: rows[rows.length - 1]!.createdAt, id: rows[rows.length - 1]!.id };
      yield* emitInOrder(projectId, rows, reviewStatuses);
    }
  };
  for (const run of runs) {
    yield* appRankingsBefore(run.createdAt);
    let line = -1;
    for (;;) {
      const rows = await db
        .select()
        .from(t.rankings)
        .where(and(eq(t.rankings.importRunId, run.id), gt(t.rankings.importLine, line)))
        .orderBy(asc(t.rankings.importLine))
        .limit(pageSize);
      if (rows.length === 0) break;
      line = rows[rows.length - 1]!.importLine!;
      yield* emitInOrder(projectId, rows, reviewStatuses);
    }
  }
  yield* appRankingsBefore(undefined);
}

/** Ids of the rankings a reward model trains on (every visible one but the rejected), oldest first: the data snapshot it records. */
export async function listRankingIds({ projectId }: { projectId: string }): Promise<string[]> {
  const { db, t } = getDb();
  const rows = await db.select({ id: t.rankings.id }).from(t.rankings).where(and(eq(t.rankings.projectId, projectId), visibleRankings(t, DEFAULT_EXPORT_REVIEW_STATUSES))).orderBy(asc(t.rankings.createdAt), asc(t.rankings.id));
  return rows.map((r) => r.id);
}
