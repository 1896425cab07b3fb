import "server-only";
import { and, eq, inArray, like } from "drizzle-orm";
import type { ImportRecord } from "@/lib/datasets/import-types";
import type { ChatMessage, PairText, RawRankingRow } from "@/lib/datasets/types";
import { getDb, type Db } from "../client";
import { promptContentHash } from "./prompts";

/**
 * Stores the records of an import file one batch at a time, each batch in one
 * transaction, every row tagged with the import run (so a run that fails is
 * swept whole: import-sweep.ts). A batch costs a handful of queries, not a
 * few per record. Pairs become two-completion rankings by disabled pseudo-users
 * "imported-N", N the next free number on that prompt (a user ranks a prompt
 * once); raw rankings are restored under their annotators.
 */

type Tables = ReturnType<typeof getDb>["t"];
type Ctx = { db: Db; t: Tables; projectId: string; runId: string; caches: ImportCaches };

/** What one stored batch added, and the raw rankings it left out as already present. */
export type BatchResult = { prompts: number; completions: number; rankings: number; duplicateLines: number[] };

/** A Map that forgets its least recently used entries beyond `max`, so a long import's caches stay bounded. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}

/** Look-ups an import keeps between its batches: user ids by email, the next "imported-N" per prompt. */
export type ImportCaches = { users: Lru<string, string>; nextN: Lru<string, number> };
export const importCaches = (): ImportCaches => ({ users: new Lru(10_000), nextN: new Lru(50_000) });

const CHUNK = 400;
const chunks = <T>(items: readonly T[], size = CHUNK): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const plain = (messages: readonly ChatMessage[]) => messages.map(({ role, content }) => ({ role, content }));

/** A prompt is stored as plain text when the app would store it so (one user message, no edge whitespace), exactly as given otherwise. */
function promptInput(messages: readonly ChatMessage[]): { text?: string; messages?: ChatMessage[] } {
  const only = messages[0]!;
  return messages.length === 1 && only.role === "user" && only.content === only.content.trim() ? { text: only.content } : { messages: plain(messages) };
}

/**
 * The prompt id of each conversation, creating the prompts the project
 * lacks. `fresh` holds the ones created here: they have no completions or
 * rankings yet, so later steps need not look those up.
 */
async function resolvePrompts(ctx: Ctx, conversations: readonly ChatMessage[][]): Promise<{ ids: string[]; added: number; fresh: Set<string> }> {
  const { db, t } = ctx;
  const inputs = conversations.map(promptInput);
  const hashes = inputs.map(promptContentHash);
  const found = new Map<string, string>();
  const lookUp = async (wanted: string[]) => {
    for (const part of chunks(wanted)) {
      const rows = await db.select({ id: t.prompts.id, h: t.prompts.contentHash }).from(t.prompts).where(and(eq(t.prompts.projectId, ctx.projectId), inArray(t.prompts.contentHash, part)));
      for (const r of rows) found.set(r.h, r.id);
    }
  };
  await lookUp([...new Set(hashes)]);
  const missing = new Map<string, (typeof t.prompts.$inferInsert)>();
  hashes.forEach((h, i) => {
    if (!found.has(h) && !missing.has(h)) missing.set(h, { projectId: ctx.projectId, source: "import", contentHash: h, text: inputs[i]!.text ?? null, messages: inputs[i]!.messages ?? null, importRunId: ctx.runId });
  });
  const fresh = new Set<string>();
  for (const part of chunks([...missing.values()], 200)) {
    // A prompt added in the app meanwhile wins the unique index; it is looked up below instead.
    const rows = await db.insert(t.prompts).values(part).onConflictDoNothing().returning({ id: t.prompts.id, h: t.prompts.contentHash });
    for (const r of rows) {
      found.set(r.h, r.id);
      fresh.add(r.id);
    }
  }
  await lookUp(hashes.filter((h) => !found.has(h)));
  return { ids: hashes.map((h) => found.get(h)!), added: fresh.size, fresh };
}

type WantedCompletion = { promptId: string; text: string; context: ChatMessage[] | null };
const completionKey = (c: WantedCompletion) => JSON.stringify([c.promptId, c.context ? plain(c.context) : null, c.text]);

/**
 * Completion ids for each ranking's completions: an existing completion of
 * the prompt with the same text and conversation, else a new one. Within one
 * ranking every completion is a different row, so a pair whose two replies
 * are the same text gets two.
 */
async function resolveCompletions(ctx: Ctx, rankings: readonly WantedCompletion[][], freshPrompts: ReadonlySet<string>): Promise<{ ids: string[][]; added: number }> {
  const { db, t } = ctx;
  const byKey = new Map<string, string[]>();
  const all = rankings.flat().filter((c) => !freshPrompts.has(c.promptId));
  const promptIds = [...new Set(all.map((c) => c.promptId))];
  for (const texts of chunks([...new Set(all.map((c) => c.text))], 200)) {
    for (const prompts of chunks(promptIds, 200)) {
      const rows = await db.select({ id: t.completions.id, promptId: t.completions.promptId, text: t.completions.text, context: t.completions.context }).from(t.completions).where(and(inArray(t.completions.promptId, prompts), inArray(t.completions.text, texts)));
      for (const r of rows) {
        const key = completionKey({ promptId: r.promptId, text: r.text, context: (r.context as ChatMessage[] | null) ?? null });
        byKey.set(key, [...(byKey.get(key) ?? []), r.id]);
      }
    }
  }
  const fresh: (typeof t.completions.$inferInsert)[] = [];
  const ids = rankings.map((wanted) => {
    const used = new Set<string>();
    return wanted.map((c) => {
      const key = completionKey(c);
      let id = byKey.get(key)?.find((x) => !used.has(x));
      if (!id) {
        id = crypto.randomUUID();
        byKey.set(key, [...(byKey.get(key) ?? []), id]);
        fresh.push({ id, promptId: c.promptId, text: c.text, context: c.context ? plain(c.context) : null, modelId: "imported", presetName: "imported", importRunId: ctx.runId });
      }
      used.add(id);
      return id;
    });
  });
  for (const part of chunks(fresh, 200)) await db.insert(t.completions).values(part);
  return { ids, added: fresh.length };
}

const PAIR_USER = /^imported-(\d+)@import\.invalid$/;
const emailFor = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}@import.invalid`;
const isUserId = (name: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name);

/** The next free N of "imported-N" on each prompt: 1 on a fresh prompt, else from the cache or the prompt's rankings. */
async function nextPairNumbers(ctx: Ctx, promptIds: readonly string[], freshPrompts: ReadonlySet<string>): Promise<Map<string, number>> {
  const { db, t } = ctx;
  const next = new Map<string, number>();
  const unknown = [...new Set(promptIds)].filter((p) => {
    const n = freshPrompts.has(p) ? 1 : ctx.caches.nextN.get(p);
    if (n !== undefined) next.set(p, n);
    return n === undefined;
  });
  for (const part of chunks(unknown)) {
    const rows = await db
      .select({ promptId: t.rankings.promptId, email: t.users.email })
      .from(t.rankings)
      .innerJoin(t.users, eq(t.users.id, t.rankings.userId))
      .where(and(inArray(t.rankings.promptId, part), like(t.users.email, "imported-%@import.invalid")));
    for (const p of part) next.set(p, 1);
    for (const r of rows) {
      const n = Number(PAIR_USER.exec(r.email)?.[1] ?? 0);
      if (n >= next.get(r.promptId)!) next.set(r.promptId, n + 1);
    }
  }
  return next;
}

/**
 * User ids by name. An id of an existing user is kept (a re-import into the
 * instance it came from); any other name (a pseudonym, "imported-2") gets a
 * disabled, password-less annotator, so it can never sign in.
 */
async function resolveUsers(ctx: Ctx, names: readonly string[]): Promise<Map<string, string>> {
  const { db, t } = ctx;
  const out = new Map<string, string>();
  const byEmail = new Map<string, string>();
  const ids = [...new Set(names.filter(isUserId))];
  for (const part of chunks(ids)) {
    for (const r of await db.select({ id: t.users.id }).from(t.users).where(inArray(t.users.id, part))) out.set(r.id, r.id);
  }
  for (const name of new Set(names)) {
    if (out.has(name)) continue;
    const cached = ctx.caches.users.get(emailFor(name));
    if (cached) out.set(name, cached);
    else byEmail.set(emailFor(name), name);
  }
  const lookUp = async () => {
    for (const part of chunks([...byEmail.keys()])) {
      for (const r of await db.select({ id: t.users.id, email: t.users.email }).from(t.users).where(inArray(t.users.email, part))) {
        ctx.caches.users.set(r.email, r.id);
        out.set(byEmail.get(r.email)!, r.id);
        byEmail.delete(r.email);
      }
    }
  };
  await lookUp();
  const rows = [...byEmail].map(([email, name]) => ({ email, name: `Imported ${name}`, role: "annotator" as const, passwordHash: null, disabled: true }));
  for (const part of chunks(rows, 200)) await db.insert(t.users).values(part).onConflictDoNothing();
  await lookUp();
  return out;
}

/** Stores one batch of records (in file order) in one transaction; returns what it added. */
export async function storeImportBatch(input: { projectId: string; runId: string; records: readonly ImportRecord[]; caches: ImportCaches }): Promise<BatchResult> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const ctx: Ctx = { db, t, projectId: input.projectId, runId: input.runId, caches: input.caches };
    const pairs = input.records.filter((r): r is ImportRecord & { item: { kind: "pair" } } => r.item.kind === "pair");
    const raws = input.records.filter((r): r is ImportRecord & { item: { kind: "ranking" } } => r.item.kind === "ranking");
    const a = pairs.length ? await storePairs(ctx, pairs.map((r) => ({ line: r.line, pair: r.item.pair }))) : empty();
    const b = raws.length ? await storeRawRankings(ctx, raws.map((r) => ({ line: r.line, row: r.item.row }))) : empty();
    return { prompts: a.prompts + b.prompts, completions: a.completions + b.completions, rankings: a.rankings + b.rankings, duplicateLines: b.duplicateLines };
  });
}

const empty = (): BatchResult => ({ prompts: 0, completions: 0, rankings: 0, duplicateLines: [] });

type RankingInsert = ReturnType<typeof getDb>["t"]["rankings"]["$inferInsert"];
const rankingBase = (ctx: Ctx, promptId: string, userId: string, line: number): Omit<RankingInsert, "shownOrder" | "ranks" | "flags" | "ratings" | "timeSpentMs"> => ({
  projectId: ctx.projectId, promptId, userId, importRunId: ctx.runId, importLine: line, submissionKey: `import:${ctx.runId}:${line}`,
});

async function storePairs(ctx: Ctx, records: { line: number; pair: PairText }[]): Promise<BatchResult> {
  const prompts = await resolvePrompts(ctx, records.map((r) => r.pair.prompt));
  const completions = await resolveCompletions(ctx, records.map(({ pair }, i) => [
    { promptId: prompts.ids[i]!, text: pair.chosen, context: pair.chosenContext ?? null },
    { promptId: prompts.ids[i]!, text: pair.rejected, context: pair.rejectedContext ?? null },
  ]), prompts.fresh);
  const next = await nextPairNumbers(ctx, prompts.ids, prompts.fresh);
  const names = prompts.ids.map((p) => {
    const n = next.get(p)!;
    next.set(p, n + 1);
    ctx.caches.nextN.set(p, n + 1);
    return `imported-${n}`;
  });
  const users = await resolveUsers(ctx, names);
  const rows: RankingInsert[] = records.map(({ line, pair }, i) => {
    const [chosen, rejected] = completions.ids[i]!;
    return {
      ...rankingBase(ctx, prompts.ids[i]!, users.get(names[i]!)!, line),
      shownOrder: [chosen!, rejected!], ranks: { [chosen!]: 1, [rejected!]: 2 }, flags: {}, ratings: {}, timeSpentMs: 0, extra: pair.extra ?? null,
    };
  });
  for (const part of chunks(rows, 200)) await ctx.db.insert(ctx.t.rankings).values(part);
  return { prompts: prompts.added, completions: completions.added, rankings: rows.length, duplicateLines: [] };
}

/** Raw rankings keep their texts, conversations, ranks, ratings, flags and dates; completion ids are remapped to the stored ones. */
async function storeRawRankings(ctx: Ctx, records: { line: number; row: RawRankingRow }[]): Promise<BatchResult> {
  const prompts = await resolvePrompts(ctx, records.map((r) => r.row.prompt ?? []));
  const oldIds = records.map(({ row }) => Object.keys(row.ranks));
  const completions = await resolveCompletions(ctx, records.map(({ row }, i) => oldIds[i]!.map((old) => ({ promptId: prompts.ids[i]!, text: row.completions![old]!, context: row.contexts?.[old] ?? null }))), prompts.fresh);
  const users = await resolveUsers(ctx, records.map((r) => r.row.annotatorId));
  const taken = await existingRankings(ctx, prompts.ids, [...users.values()]);
  const rows: RankingInsert[] = [];
  const duplicateLines: number[] = [];
  records.forEach(({ line, row }, i) => {
    const promptId = prompts.ids[i]!;
    const userId = users.get(row.annotatorId)!;
    if (taken.has(`${promptId}/${userId}`)) return void duplicateLines.push(line);
    taken.add(`${promptId}/${userId}`);
    const ids = new Map(oldIds[i]!.map((old, j) => [old, completions.ids[i]![j]!]));
    const remap = <V>(rec: Record<string, V> | undefined) => Object.fromEntries(Object.entries(rec ?? {}).flatMap(([k, v]) => (ids.has(k) ? [[ids.get(k)!, v]] : [])));
    rows.push({
      ...rankingBase(ctx, promptId, userId, line),
      shownOrder: row.shownOrder ? row.shownOrder.map((id) => ids.get(id)!) : [...ids.values()],
      ranks: remap(row.ranks),
      // lib/datasets keeps flags per ranking; the app keeps them per completion, so they are filed under "" here.
      flags: row.flags?.length ? { "": row.flags } : {},
      ratings: remap(row.ratings),
      rationale: row.rationale ?? "",
      timeSpentMs: Math.round(row.timeSpentMs ?? 0),
      extra: row.extra ?? null,
      ...(row.createdAt ? { createdAt: new Date(row.createdAt) } : {}),
    });
  });
  for (const part of chunks(rows, 200)) await ctx.db.insert(ctx.t.rankings).values(part);
  return { prompts: prompts.added, completions: completions.added, rankings: rows.length, duplicateLines };
}

/** "promptId/userId" of the rankings that already exist among these prompts and users. */
async function existingRankings(ctx: Ctx, promptIds: readonly string[], userIds: readonly string[]): Promise<Set<string>> {
  const { db, t } = ctx;
  const out = new Set<string>();
  for (const prompts of chunks([...new Set(promptIds)], 200)) {
    for (const users of chunks([...new Set(userIds)], 200)) {
      const rows = await db.select({ p: t.rankings.promptId, u: t.rankings.userId }).from(t.rankings).where(and(inArray(t.rankings.promptId, prompts), inArray(t.rankings.userId, users)));
      for (const r of rows) out.add(`${r.p}/${r.u}`);
    }
  }
  return out;
}
