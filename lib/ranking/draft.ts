/**
 * The whole annotator draft for one task (ranking + flags + ratings + rationale), its reducer,
 * and its localStorage (de)serialisation. Pure: the React hook does the storage I/O.
 */
import { z } from "zod";
import { FLAGS, RATING_MAX, RATING_MIN, type Flag, type RankingSubmission } from "./types";
import { allEqual, initialRanking, isComplete, reduceRanking, toRanks, type RankingAction, type RankingState } from "./state";

export interface Draft {
  ranking: RankingState;
  flags: Record<string, Flag[]>;
  ratings: Record<string, number>;
  rationale: string;
  submissionKey: string;
  /** Epoch ms when the annotator first opened the task; survives reloads so time spent is honest. */
  startedAt: number;
}

export type DraftAction =
  | { type: "rank"; action: RankingAction }
  | { type: "toggleFlag"; id: string; flag: Flag }
  | { type: "setRating"; id: string; rating: number | null }
  | { type: "setRationale"; rationale: string }
  | { type: "allBad" }
  | { type: "replace"; draft: Draft };

export function newDraft(shown: readonly string[], submissionKey: string, now: number): Draft {
  return { ranking: initialRanking(shown), flags: {}, ratings: {}, rationale: "", submissionKey, startedAt: now };
}

/** A ranking already stored on the server, as an amend starts from it. */
export interface StoredRanking {
  ranks: Record<string, number>;
  flags: Record<string, readonly string[]>;
  ratings: Record<string, number>;
  rationale: string;
}

/**
 * A draft that starts from a stored ranking (amending it): one tier per rank,
 * best first, ids it did not rank left unranked, and a fresh submission key
 * and start time, so the amendment is a new write timed on its own.
 */
export function draftFromRanking(shown: readonly string[], stored: StoredRanking, submissionKey: string, now: number): Draft {
  const known = new Set(shown);
  const levels = [...new Set(shown.flatMap((id) => (stored.ranks[id] === undefined ? [] : [stored.ranks[id]])))].sort((a, b) => a - b);
  const tiers = levels.map((level) => shown.filter((id) => stored.ranks[id] === level));
  const flags = Object.fromEntries(
    Object.entries(stored.flags).flatMap(([id, fs]) => {
      const valid = FLAGS.filter((f) => fs.includes(f));
      return known.has(id) && valid.length > 0 ? [[id, valid]] : [];
    }),
  );
  const ratings = Object.fromEntries(Object.entries(stored.ratings).filter(([id]) => known.has(id)));
  return { ranking: { shown: [...shown], tiers, unranked: shown.filter((id) => stored.ranks[id] === undefined) }, flags, ratings, rationale: stored.rationale, submissionKey, startedAt: now };
}

function withFlag(flags: Record<string, Flag[]>, id: string, flag: Flag, on: boolean): Record<string, Flag[]> {
  const current = flags[id] ?? [];
  const next = on ? (current.includes(flag) ? current : [...current, flag]) : current.filter((f) => f !== flag);
  const copy = { ...flags };
  if (next.length > 0) copy[id] = FLAGS.filter((f) => next.includes(f));
  else delete copy[id];
  return copy;
}

export function reduceDraft(draft: Draft, action: DraftAction): Draft {
  switch (action.type) {
    case "rank":
      return { ...draft, ranking: reduceRanking(draft.ranking, action.action) };
    case "toggleFlag": {
      const on = !(draft.flags[action.id] ?? []).includes(action.flag);
      return { ...draft, flags: withFlag(draft.flags, action.id, action.flag, on) };
    }
    case "setRating": {
      const ratings = { ...draft.ratings };
      if (action.rating === null) delete ratings[action.id];
      else ratings[action.id] = action.rating;
      return { ...draft, ratings };
    }
    case "setRationale":
      return { ...draft, rationale: action.rationale };
    case "allBad": {
      // "All are bad" is a tie of everything *and* a low-quality flag on each, as the UI says.
      let flags = draft.flags;
      for (const id of draft.ranking.shown) flags = withFlag(flags, id, "low_quality", true);
      return { ...draft, ranking: allEqual(draft.ranking), flags };
    }
    case "replace":
      return action.draft;
  }
}

export function toSubmission(draft: Draft, now: number): RankingSubmission {
  if (!isComplete(draft.ranking)) throw new Error("every completion must be ranked before submitting");
  return {
    ranks: toRanks(draft.ranking.tiers),
    flags: draft.flags,
    ratings: draft.ratings,
    rationale: draft.rationale.trim(),
    timeSpentMs: Math.max(0, Math.round(now - draft.startedAt)),
    shownOrder: [...draft.ranking.shown],
    submissionKey: draft.submissionKey,
  };
}

export const DRAFT_PREFIX = "rlhf-studio:ranking-draft:v1:";
export const draftStorageKey = (assignmentId: string) => `${DRAFT_PREFIX}${assignmentId}`;

const storedSchema = z.object({
  tiers: z.array(z.array(z.string())),
  unranked: z.array(z.string()),
  flags: z.record(z.string(), z.array(z.enum(FLAGS))),
  ratings: z.record(z.string(), z.number().int().min(RATING_MIN).max(RATING_MAX)),
  rationale: z.string(),
  submissionKey: z.string().min(1),
  startedAt: z.number().finite(),
});

export function serializeDraft(draft: Draft): string {
  const { ranking, ...rest } = draft;
  return JSON.stringify({ tiers: ranking.tiers, unranked: ranking.unranked, ...rest });
}

/**
 * Reads a stored draft back; returns null (start fresh) when it is corrupt or was made for a
 * different set of completions, e.g. the server reshuffled or regenerated them.
 */
export function parseDraft(raw: string | null, shown: readonly string[]): Draft | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = storedSchema.safeParse(json);
  if (!parsed.success) return null;
  const { tiers, unranked, flags, ratings, ...rest } = parsed.data;
  const placed = [...tiers.flat(), ...unranked];
  const known = new Set(shown);
  if (placed.length !== shown.length || new Set(placed).size !== placed.length || !placed.every((id) => known.has(id))) return null;
  const onlyKnown = <T,>(rec: Record<string, T>) => Object.fromEntries(Object.entries(rec).filter(([id]) => known.has(id)));
  return { ...rest, ranking: { shown: [...shown], tiers, unranked }, flags: onlyKnown(flags), ratings: onlyKnown(ratings) };
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
