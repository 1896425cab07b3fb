/**
 * The whole annotator draft for one task (ranking, flags, ratings, rewrites, rationale), its
 * reducer, and its localStorage (de)serialisation. Pure: the React hook does the storage I/O.
 */
import { z } from "zod";
import { copyToDuplicates, type IdenticalGroup } from "./identical";
import { REWRITE_MAX_CHARS, type Rewrite } from "./rewrite";
import { RATING_MAX, RATING_MIN, type Rubric } from "./rubric";
import { isCompleteFor, ranksFor } from "./scale";
import { addShown, allEqual, initialRanking, reduceRanking, removeShown, type RankingAction, type RankingState } from "./state";
import type { RankingSubmission } from "./types";

export interface Draft {
  ranking: RankingState;
  /** completion id → flag ids, in the order raised (sorted by the rubric on submit). */
  flags: Record<string, string[]>;
  ratings: Record<string, number>;
  aspectRatings: Record<string, Record<string, number>>;
  /** The annotator's rewrites, in the order written; their ids are in `ranking.shown`. */
  rewrites: Rewrite[];
  rationale: string;
  submissionKey: string;
  /** Epoch ms when the annotator first opened the task; survives reloads so time spent is honest. */
  startedAt: number;
}

export type DraftAction =
  | { type: "rank"; action: RankingAction }
  | { type: "toggleFlag"; id: string; flag: string }
  | { type: "setRating"; id: string; rating: number | null }
  | { type: "setAspectRating"; id: string; aspect: string; rating: number | null }
  | { type: "setRationale"; rationale: string }
  | { type: "allBad"; flag: string | null }
  | { type: "addRewrite"; rewrite: Rewrite }
  | { type: "editRewrite"; id: string; text: string }
  | { type: "removeRewrite"; id: string }
  | { type: "replace"; draft: Draft };

export function newDraft(shown: readonly string[], submissionKey: string, now: number): Draft {
  return { ranking: initialRanking(shown), flags: {}, ratings: {}, aspectRatings: {}, rewrites: [], rationale: "", submissionKey, startedAt: now };
}

/** A ranking already stored on the server, as an amend starts from it. */
export interface StoredRanking {
  ranks: Record<string, number>;
  flags: Record<string, readonly string[]>;
  ratings: Record<string, number>;
  aspectRatings?: Record<string, Record<string, number>>;
  rationale: string;
}

/**
 * A draft that starts from a stored ranking (amending it): one tier per rank,
 * best first, ids it did not rank left unranked, and a fresh submission key
 * and start time, so the amendment is a new write timed on its own. Flags and
 * aspects the rubric no longer has are dropped.
 */
export function draftFromRanking(shown: readonly string[], stored: StoredRanking, submissionKey: string, now: number, rubric?: Rubric): Draft {
  const known = new Set(shown);
  const levels = [...new Set(shown.flatMap((id) => (stored.ranks[id] === undefined ? [] : [stored.ranks[id]])))].sort((a, b) => a - b);
  const tiers = levels.map((level) => shown.filter((id) => stored.ranks[id] === level));
  const flags = Object.fromEntries(
    Object.entries(stored.flags).flatMap(([id, fs]) => {
      return known.has(id) && fs.length > 0 ? [[id, [...fs]]] : [];
    }),
  );
  const onlyKnown = <T,>(rec: Record<string, T>) => Object.fromEntries(Object.entries(rec).filter(([id]) => known.has(id)));
  const ranking = { shown: [...shown], tiers, unranked: shown.filter((id) => stored.ranks[id] === undefined) };
  const draft = { ranking, flags, ratings: onlyKnown(stored.ratings), aspectRatings: onlyKnown(stored.aspectRatings ?? {}), rewrites: [], rationale: stored.rationale, submissionKey, startedAt: now };
  return onlyRubric(draft, rubric);
}

function withFlag(flags: Record<string, string[]>, id: string, flag: string, on: boolean): Record<string, string[]> {
  const current = flags[id] ?? [];
  const next = on ? (current.includes(flag) ? current : [...current, flag]) : current.filter((f) => f !== flag);
  const copy = { ...flags };
  if (next.length > 0) copy[id] = next;
  else delete copy[id];
  return copy;
}

function withRating<T>(record: Record<string, T>, id: string, value: T | null): Record<string, T> {
  const copy = { ...record };
  if (value === null) delete copy[id];
  else copy[id] = value;
  return copy;
}

function withAspectRating(all: Draft["aspectRatings"], id: string, aspect: string, rating: number | null): Draft["aspectRatings"] {
  const mine = withRating(all[id] ?? {}, aspect, rating);
  return withRating(all, id, Object.keys(mine).length > 0 ? mine : null);
}

/** Everything filed under a completion id, dropped when its rewrite is discarded. */
function forget(draft: Draft, id: string): Draft {
  const drop = <T,>(rec: Record<string, T>) => Object.fromEntries(Object.entries(rec).filter(([k]) => k !== id));
  return { ...draft, flags: drop(draft.flags), ratings: drop(draft.ratings), aspectRatings: drop(draft.aspectRatings) };
}

export function reduceDraft(draft: Draft, action: DraftAction): Draft {
  switch (action.type) {
    case "rank":
      return { ...draft, ranking: reduceRanking(draft.ranking, action.action) };
    case "toggleFlag": {
      const on = !(draft.flags[action.id] ?? []).includes(action.flag);
      return { ...draft, flags: withFlag(draft.flags, action.id, action.flag, on) };
    }
    case "setRating":
      return { ...draft, ratings: withRating(draft.ratings, action.id, action.rating) };
    case "setAspectRating":
      return { ...draft, aspectRatings: withAspectRating(draft.aspectRatings, action.id, action.aspect, action.rating) };
    case "setRationale":
      return { ...draft, rationale: action.rationale };
    case "allBad": {
      // "All are bad" is a tie of everything *and* a low-quality flag on each, as the UI says.
      let flags = draft.flags;
      if (action.flag) for (const id of draft.ranking.shown) flags = withFlag(flags, id, action.flag, true);
      return { ...draft, ranking: allEqual(draft.ranking), flags };
    }
    case "addRewrite":
      return { ...draft, ranking: addShown(draft.ranking, action.rewrite.id), rewrites: [...draft.rewrites, action.rewrite] };
    case "editRewrite":
      return { ...draft, rewrites: draft.rewrites.map((r) => (r.id === action.id ? { ...r, text: action.text } : r)) };
    case "removeRewrite":
      return { ...forget(draft, action.id), ranking: removeShown(draft.ranking, action.id), rewrites: draft.rewrites.filter((r) => r.id !== action.id) };
    case "replace":
      return action.draft;
  }
}

/** What the task adds to a draft when it is submitted. */
export interface SubmitContext {
  rubric: Rubric;
  /** Identical completions shown once (lib/ranking/identical.ts): their judgements are copied. */
  groups: readonly IdenticalGroup[];
  /** The task's completions in the order the server sent them. */
  order: readonly string[];
}

export function toSubmission(draft: Draft, now: number, ctx: SubmitContext): RankingSubmission {
  const { scale } = ctx.rubric;
  if (!isCompleteFor(draft.ranking, scale)) throw new Error(scale === "best" ? "pick the best response before submitting" : "every completion must be ranked before submitting");
  const flagOrder = ctx.rubric.flags.map((f) => f.id);
  const flags = Object.fromEntries(Object.entries(draft.flags).map(([id, list]) => [id, flagOrder.filter((f) => list.includes(f))]));
  return {
    ranks: copyToDuplicates(ranksFor(draft.ranking, scale), ctx.groups),
    flags: copyToDuplicates(flags, ctx.groups),
    ratings: copyToDuplicates(draft.ratings, ctx.groups),
    aspectRatings: copyToDuplicates(draft.aspectRatings, ctx.groups),
    rewrites: draft.rewrites.map((r) => ({ ...r, text: r.text.trim() })),
    rationale: draft.rationale.trim(),
    timeSpentMs: Math.max(0, Math.round(now - draft.startedAt)),
    shownOrder: [...ctx.order],
    submissionKey: draft.submissionKey,
  };
}

export const DRAFT_PREFIX = "rlhf-studio:ranking-draft:v1:";
export const draftStorageKey = (assignmentId: string) => `${DRAFT_PREFIX}${assignmentId}`;

const rating = z.number().int().min(RATING_MIN).max(RATING_MAX);
// Drafts written before rubrics and rewrites lack the last fields; they read as empty.
const storedSchema = z.object({
  tiers: z.array(z.array(z.string())),
  unranked: z.array(z.string()),
  flags: z.record(z.string(), z.array(z.string())),
  ratings: z.record(z.string(), rating),
  aspectRatings: z.record(z.string(), z.record(z.string(), rating)).default({}),
  rewrites: z.array(z.object({ id: z.string().min(1), parentId: z.string(), text: z.string().max(REWRITE_MAX_CHARS) })).default([]),
  rationale: z.string(),
  submissionKey: z.string().min(1),
  startedAt: z.number().finite(),
});

export function serializeDraft(draft: Draft): string {
  const { ranking, ...rest } = draft;
  return JSON.stringify({ tiers: ranking.tiers, unranked: ranking.unranked, ...rest });
}

/** Flags and aspects the rubric no longer has are dropped (the admin edited it meanwhile). */
function onlyRubric(draft: Draft, rubric: Rubric | undefined): Draft {
  if (!rubric) return draft;
  const flagIds = new Set(rubric.flags.map((f) => f.id));
  const aspectIds = new Set(rubric.aspects.map((a) => a.id));
  const nonEmpty = <T extends object>(entries: [string, T][]) => Object.fromEntries(entries.filter(([, v]) => Object.keys(v).length > 0));
  return {
    ...draft,
    flags: nonEmpty(Object.entries(draft.flags).map(([id, list]) => [id, list.filter((f) => flagIds.has(f))])),
    ratings: rubric.overallRating ? draft.ratings : {},
    aspectRatings: nonEmpty(Object.entries(draft.aspectRatings).map(([id, r]) => [id, Object.fromEntries(Object.entries(r).filter(([a]) => aspectIds.has(a)))])),
  };
}

/**
 * Reads a stored draft back; returns null (start fresh) when it is corrupt or was made for a
 * different set of completions, e.g. the server reshuffled or regenerated them. `shown` is the
 * task's responses as displayed; the draft's own rewrites follow them.
 */
export function parseDraft(raw: string | null, shown: readonly string[], rubric?: Rubric): Draft | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = storedSchema.safeParse(json);
  if (!parsed.success) return null;
  const { tiers, unranked, flags, ratings, aspectRatings, rewrites, ...rest } = parsed.data;
  const all = [...shown, ...rewrites.map((r) => r.id)];
  const placed = [...tiers.flat(), ...unranked];
  const known = new Set(all);
  if (placed.length !== all.length || new Set(placed).size !== placed.length || !placed.every((id) => known.has(id))) return null;
  if (rewrites.some((r) => !shown.includes(r.parentId))) return null;
  const onlyKnown = <T,>(rec: Record<string, T>) => Object.fromEntries(Object.entries(rec).filter(([id]) => known.has(id)));
  const draft = { ...rest, ranking: { shown: all, tiers, unranked }, flags: onlyKnown(flags), ratings: onlyKnown(ratings), aspectRatings: onlyKnown(aspectRatings), rewrites };
  return onlyRubric(draft, rubric);
}

/** Drafts older than this are abandoned tasks whose lease is long gone; they are pruned on load. */
export const DRAFT_MAX_AGE_MS = 14 * 24 * 3600 * 1000;

const startedOnlySchema = z.object({ startedAt: z.number().finite() });

export function isStaleDraft(raw: string | null, now: number): boolean {
  try {
    const parsed = startedOnlySchema.safeParse(JSON.parse(raw ?? "null"));
    return !parsed.success || now - parsed.data.startedAt > DRAFT_MAX_AGE_MS;
  } catch {
    return true;
  }
}
