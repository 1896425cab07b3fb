"use client";

import { useCallback, useEffect, useLayoutEffect, useRef } from "react";

/**
 * Tracks the card elements by completion id and moves focus between them. Cards move (and may
 * remount, when they go from the unranked to the ranked list) as they are ranked, so the focus
 * request is applied after the next commit, when the card is in its new place.
 */
export function useCardFocus() {
  const cards = useRef(new Map<string, HTMLElement>());
  const pending = useRef<string | null>(null);
  // One cached callback per id: a new ref function each render would detach and reattach the
  // node every time, and dnd-kit re-measures (and loses keyboard drags) when that happens.
  const callbacks = useRef(new Map<string, (el: HTMLElement | null) => void>());

  const cardRef = useCallback((id: string) => {
    let cb = callbacks.current.get(id);
    if (!cb) {
      cb = (el: HTMLElement | null) => {
        if (el) cards.current.set(id, el);
        else if (cards.current.get(id)?.isConnected === false) cards.current.delete(id);
      };
      callbacks.current.set(id, cb);
    }
    return cb;
  }, []);

  useLayoutEffect(() => {
    const id = pending.current;
    if (!id) return;
    pending.current = null;
    const el = cards.current.get(id);
    if (el && document.activeElement !== el) el.focus({ preventScroll: true });
    el?.scrollIntoView?.({ block: "nearest" });
  });

  /** Focus now if the card exists, and again after the next render in case it moved. */
  const focusCard = useCallback((id: string) => {
    pending.current = id;
    cards.current.get(id)?.focus({ preventScroll: true });
  }, []);

  return { cardRef, focusCard };
}

/**
 * Once a task is ready (its draft read), focuses its first card, so `j` and `1`–`9` work at once:
 * the "Start labeling" (or "Next task") button that was pressed is gone, and focus would otherwise
 * fall back to the page, where those keys do nothing. Only once per task, and never away from an
 * element the annotator already moved to.
 */
export function useFirstCardFocus({ ready, firstId, focusCard }: { ready: boolean; firstId: string | undefined; focusCard: (id: string) => void }) {
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current || !firstId) return;
    done.current = true;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    focusCard(firstId);
  }, [ready, firstId, focusCard]);
}
