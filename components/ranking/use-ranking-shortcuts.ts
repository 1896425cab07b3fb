"use client";

import { useEffect, useRef } from "react";
import { shortcutFor, type Shortcut, type TargetKind } from "@/lib/ranking/keys";
import type { RankScale } from "@/lib/ranking/rubric";

const CARD = '[data-testid="completion-card"]';
const TEXT_ROLES = new Set(["textbox", "combobox", "radio", "slider", "spinbutton", "searchbox", "listbox", "menu"]);

function targetKind(el: Element | null): TargetKind {
  if (!(el instanceof HTMLElement) || el === document.body) return "other";
  const tag = el.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) return "text";
  if (TEXT_ROLES.has(el.getAttribute("role") ?? "")) return "text";
  if (el.matches(CARD)) return "card";
  if (el.closest("button, a[href], summary, [role=button], [role=link], [tabindex]")) return "control";
  return "other";
}

export interface ShortcutHandlers {
  count: number;
  scale: RankScale;
  /** While dragging or busy, the keyboard belongs to dnd-kit / nothing. */
  enabled: boolean;
  onShortcut: (shortcut: Shortcut, cardId: string | null) => void;
}

/**
 * One document-level listener for all shortcuts, so Enter and "?" work even when focus is on the
 * page rather than a card. Handlers are read through a ref so the listener is attached once.
 */
export function useRankingShortcuts(handlers: ShortcutHandlers) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const h = latest.current;
      if (!h.enabled || e.defaultPrevented || e.isComposing) return;
      const el = e.target instanceof Element ? e.target : null;
      if (el?.closest("dialog") || document.querySelector("dialog[open]")) return;
      const card = el?.closest(CARD) ?? null;
      const target = targetKind(el);
      const shortcut = shortcutFor(e, { target, inCard: card !== null, count: h.count, scale: h.scale });
      if (!shortcut) return;
      e.preventDefault();
      h.onShortcut(shortcut, card?.getAttribute("data-completion-id") ?? null);
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}
