"use client";

import { useCallback, useEffect, useReducer, useRef } from "react";
import { DRAFT_PREFIX, draftFromRanking, draftStorageKey, isStaleDraft, newDraft, parseDraft, reduceDraft, serializeDraft, type Draft, type DraftAction, type StoredRanking } from "@/lib/ranking/draft";
import type { Rubric } from "@/lib/ranking/rubric";
import { newSubmissionKey } from "@/lib/ranking/uuid";

interface Store {
  draft: Draft;
  /** The assignment the draft belongs to; null until it was read (saving before would overwrite it). */
  owner: string | null;
}

type StoreAction = DraftAction | { type: "loaded"; draft: Draft; owner: string };

function reduceStore(store: Store, action: StoreAction): Store {
  if (action.type === "loaded") return { draft: action.draft, owner: action.owner };
  return { ...store, draft: reduceDraft(store.draft, action) };
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled storage (privacy mode, sandboxed iframe): work without drafts
  }
}

function pruneStaleDrafts(store: Storage, now: number): void {
  for (let i = store.length - 1; i >= 0; i--) {
    const key = store.key(i);
    if (key?.startsWith(DRAFT_PREFIX) && isStaleDraft(store.getItem(key), now)) store.removeItem(key);
  }
}

/**
 * The annotator's draft, persisted in localStorage under the assignment id. The stored draft is
 * read after mount (not during render) so the server-rendered HTML and the first client render
 * agree; the submission key and start time are minted then too. Flags and aspects the rubric no
 * longer has are dropped from a stored draft. Without a stored draft it starts empty, or from
 * `initial` (amending a submitted ranking).
 */
export function useRankingDraft(assignmentId: string, shown: readonly string[], rubric: Rubric, initial?: StoredRanking) {
  const shownKey = shown.join("\u0000");
  const [store, dispatch] = useReducer(reduceStore, undefined, () => ({ draft: newDraft(shown, "", 0), owner: null }));
  const cleared = useRef(false);
  const rubricRef = useRef(rubric);

  useEffect(() => {
    const ids = shownKey.split("\u0000");
    const ls = storage();
    const now = Date.now();
    if (ls) pruneStaleDrafts(ls, now);
    const stored = ls ? parseDraft(ls.getItem(draftStorageKey(assignmentId)), ids, rubricRef.current) : null;
    cleared.current = false;
    const fresh = initial ? draftFromRanking(ids, initial, newSubmissionKey(), now, rubricRef.current) : newDraft(ids, newSubmissionKey(), now);
    dispatch({ type: "loaded", draft: stored ?? fresh, owner: assignmentId });
    // `initial` is read once per task, like the stored draft: a new object for the same task must not reset the draft.
  }, [assignmentId, shownKey]);

  useEffect(() => {
    if (store.owner !== assignmentId || cleared.current) return;
    try {
      storage()?.setItem(draftStorageKey(assignmentId), serializeDraft(store.draft));
    } catch {
      // Quota exceeded: the draft simply does not survive a reload; ranking still works.
    }
  }, [assignmentId, store]);

  /** After a successful submit: forget the draft and stop saving it. */
  const clear = useCallback(() => {
    cleared.current = true;
    storage()?.removeItem(draftStorageKey(assignmentId));
  }, [assignmentId]);

  const dispatchDraft: (action: DraftAction) => void = dispatch;
  return { draft: store.draft, loaded: store.owner === assignmentId, dispatch: dispatchDraft, clear };
}
