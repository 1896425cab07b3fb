import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { ChatMessage, PairText, RankingRecord, RawRankingRow } from "@/lib/datasets/types";
import { getDb, type Db } from "../client";
import { promptContentHash } from "./prompts";

export type ImportItem = { kind: "pair"; pair: PairText } | { kind: "ranking"; row: RawRankingRow };
export type ImportSummary = { prompts: number; completions: number; rankings: number; skipped: number };

type Ctx = { db: Db; t: ReturnType<typeof getDb>["t"]; projectId: string; summary: ImportSummary };

/** A plain single-turn prompt is stored as text, like prompts added in the app. */
function promptInput(messages: ChatMessage[]) {
  return messages.length === 1 && messages[0]!.role === "user" ? { text: messages[0]!.content } : { messages };
}

async function promptId(ctx: Ctx, messages: ChatMessage[]): Promise<string> {
  const { db, t } = ctx;
  const input = promptInput(messages);
  const contentHash = promptContentHash(input);
  const [found] = await db.select({ id: t.prompts.id }).from(t.prompts).where(and(eq(t.prompts.projectId, ctx.projectId), eq(t.prompts.contentHash, contentHash))).limit(1);
  if (found) return found.id;
  const [row] = await db.insert(t.prompts).values({ projectId: ctx.projectId, source: "import", contentHash, text: input.text ?? null, messages: input.messages ?? null }).returning({ id: t.prompts.id });
  ctx.summary.prompts++;
  return row.id;
}

/** The id of the prompt's completion with this text; created (modelId "imported") when new. */
async function completionId(ctx: Ctx, prompt: string, text: string): Promise<string> {
  const { db, t } = ctx;
  const [found] = await db.select({ id: t.completions.id }).from(t.completions).where(and(eq(t.completions.promptId, prompt), eq(t.completions.text, text))).limit(1);
  if (found) return found.id;
  const [row] = await db.insert(t.completions).values({ promptId: prompt, text, modelId: "imported", presetName: "imported" }).returning({ id: t.completions.id });
  ctx.summary.completions++;
  return row.id;
}

/**
 * The user a ranking is filed under. An id of an existing user is kept (a
 * re-import into the instance it came from); any other name (a pseudonym,
 * "imported-2") gets a disabled, password-less annotator, so it can never sign in.
 */
async function userFor(ctx: Ctx, name: string): Promise<string> {
  const { db, t } = ctx;
  const email = `${name.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}@import.invalid`;
  const [found] = await db.select({ id: t.users.id }).from(t.users).where(/^[0-9a-f-]{36}$/.test(name) ? inArray(t.users.id, [name]) : eq(t.users.email, email)).limit(1);
  if (found) return found.id;
  const [row] = await db.insert(t.users).values({ email, name: `Imported ${name}`, role: "annotator", passwordHash: null, disabled: true }).returning({ id: t.users.id });
  return row.id;
}

async function insertRanking(ctx: Ctx, prompt: string, user: string, r: Omit<RankingRecord, "annotatorId" | "promptId">): Promise<void> {
  const { db, t } = ctx;
  const [dup] = await db.select({ id: t.rankings.id }).from(t.rankings).where(and(eq(t.rankings.promptId, prompt), eq(t.rankings.userId, user))).limit(1);
  if (dup) return void ctx.summary.skipped++;
  await db.insert(t.rankings).values({
    projectId: ctx.projectId,
    promptId: prompt,
    userId: user,
    shownOrder: r.shownOrder ?? Object.keys(r.ranks),
    ranks: r.ranks,
    // lib/datasets keeps flags per ranking; the app keeps them per completion, so they are filed under "" here.
    flags: r.flags?.length ? { "": r.flags } : {},
    ratings: r.ratings ?? {},
    rationale: r.rationale ?? "",
    timeSpentMs: Math.round(r.timeSpentMs ?? 0),
    submissionKey: `import:${crypto.randomUUID()}`,
    ...(r.createdAt ? { createdAt: new Date(r.createdAt) } : {}),
  });
  ctx.summary.rankings++;
}

/** A pair becomes a two-completion ranking by "imported-N", N = the pair's position among its prompt's pairs. */
async function importPair(ctx: Ctx, pair: PairText, seen: Map<string, number>): Promise<void> {
  const prompt = await promptId(ctx, pair.prompt);
  const chosen = await completionId(ctx, prompt, pair.chosen);
  const rejected = await completionId(ctx, prompt, pair.rejected);
  const n = (seen.get(prompt) ?? 0) + 1;
  seen.set(prompt, n);
  await insertRanking(ctx, prompt, await userFor(ctx, `imported-${n}`), { ranks: { [chosen]: 1, [rejected]: 2 }, shownOrder: [chosen, rejected] });
}

/** A raw ranking is restored with its texts; completion ids are remapped to the stored ones. */
async function importRanking(ctx: Ctx, row: RawRankingRow, line: number): Promise<void> {
  if (!row.prompt || !row.completions) throw new Error(`item ${line}: raw rankings need their prompt and completion texts (export with text)`);
  const prompt = await promptId(ctx, row.prompt);
  const ids = new Map<string, string>();
  for (const old of Object.keys(row.ranks)) {
    const text = row.completions[old];
    if (text === undefined) throw new Error(`item ${line}: completion ${old} is ranked but has no text`);
    ids.set(old, await completionId(ctx, prompt, text));
  }
  const remap = <V>(rec: Record<string, V> | undefined) => rec && Object.fromEntries(Object.entries(rec).flatMap(([k, v]) => (ids.has(k) ? [[ids.get(k)!, v]] : [])));
  await insertRanking(ctx, prompt, await userFor(ctx, row.annotatorId), {
    ...row,
    ranks: remap(row.ranks)!,
    ratings: remap(row.ratings),
    shownOrder: row.shownOrder?.map((id) => ids.get(id)!).filter(Boolean),
  });
}

/** Stores a parsed import file in one transaction: all of it or, on any error, nothing. */
export async function importPreferenceData({ projectId, items }: { projectId: string; items: ImportItem[] }): Promise<ImportSummary> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const ctx: Ctx = { db, t, projectId, summary: { prompts: 0, completions: 0, rankings: 0, skipped: 0 } };
    const seen = new Map<string, number>();
    let i = 0;
    for (const item of items) {
      i++;
      if (item.kind === "pair") await importPair(ctx, item.pair, seen);
      else await importRanking(ctx, item.row, i);
    }
    return ctx.summary;
  });
}
