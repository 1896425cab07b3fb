"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useCallback } from "react";
import { isLongText } from "@/lib/ranking/announce";
import type { RankingAction } from "@/lib/ranking/state";
import type { Flag } from "@/lib/ranking/types";
import { FlagToggles, RankSelect, RatingInput } from "./completion-controls";
import { SafeMarkdown } from "./markdown";

export interface CompletionCardProps {
  id: string;
  label: string;
  text: string;
  /** Slot number shown on the badge, null when unranked. */
  rank: number | null;
  /** Labels of the responses tied with this one. */
  tiedWith: string[];
  count: number;
  flags: readonly Flag[];
  rating: number | undefined;
  disabled: boolean;
  onAction: (action: RankingAction) => void;
  onToggleFlag: (flag: Flag) => void;
  onRating: (rating: number | null) => void;
  cardRef: (el: HTMLElement | null) => void;
  /** Lifted out of the card: moving between the ranked and unranked lists remounts it. */
  expanded: boolean;
  onToggleExpanded: () => void;
}

const iconButton =
  "inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800";

function RankBadge({ rank, tied }: { rank: number | null; tied: boolean }) {
  const tone = rank === null ? "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" : "bg-indigo-600 text-white";
  return (
    <span data-testid="rank-badge" data-rank={rank ?? ""} className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${tone}`}>
      {rank === null ? "Unranked" : `Rank ${rank}${tied ? " (tie)" : ""}`}
    </span>
  );
}

/** The card body, collapsed to a fixed height when long so K responses fit on one screen. */
function CompletionBody({ id, label, text, expanded, onToggle }: { id: string; label: string; text: string; expanded: boolean; onToggle: () => void }) {
  const long = isLongText(text);
  const bodyId = `completion-body-${id}`;
  const collapsed = long && !expanded;
  return (
    <div className="mt-3">
      <div id={bodyId} className={`relative ${collapsed ? "max-h-72 overflow-hidden" : ""}`}>
        <SafeMarkdown text={text} />
        {collapsed ? <div aria-hidden className="pointer-events-none absolute inset-x-0 bottom-0 h-12 bg-linear-to-t from-white dark:from-slate-900" /> : null}
      </div>
      {long ? (
        <button type="button" aria-expanded={expanded} aria-controls={bodyId} onClick={onToggle} className="mt-2 rounded text-sm font-medium text-indigo-700 underline hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300 dark:hover:text-indigo-200">
          {expanded ? "Collapse response" : "Show full response"}
          <span className="sr-only"> {label}</span>
        </button>
      ) : null}
    </div>
  );
}

export function CompletionCard(p: CompletionCardProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: p.id, disabled: p.disabled });
  const headingId = `completion-heading-${p.id}`;
  const tied = p.tiedWith.length > 0;
  const { cardRef } = p;
  // Stable, so React does not detach/reattach the node on every render (dnd-kit re-measures then).
  const ref = useCallback(
    (el: HTMLLIElement | null) => {
      setNodeRef(el);
      cardRef(el);
    },
    [setNodeRef, cardRef],
  );
  return (
    <li
      ref={ref}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-testid="completion-card"
      data-completion-id={p.id}
      tabIndex={0}
      aria-labelledby={headingId}
      aria-describedby="ranking-card-help"
      className={`min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-slate-900 dark:ring-slate-700 ${tied ? "border-l-4 border-indigo-500" : ""} ${isDragging ? "relative z-10 shadow-lg ring-2 ring-indigo-500" : ""}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <button
          ref={setActivatorNodeRef}
          type="button"
          aria-label="Drag to reorder"
          {...attributes}
          {...listeners}
          // Only the handle starts a drag, and it opts out of browser panning so touch drags work;
          // the rest of the card scrolls normally and can never reorder by accident.
          className={`${iconButton} cursor-grab touch-none active:cursor-grabbing`}
        >
          <span aria-hidden>⠿</span>
        </button>
        <h3 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          {p.label}
        </h3>
        <RankBadge rank={p.rank} tied={tied} />
        {tied ? <span className="text-xs text-slate-700 dark:text-slate-300">tied with {p.tiedWith.join(", ")}</span> : null}
        <div className="ml-auto flex items-center gap-1.5">
          <RankSelect id={p.id} label={p.label} rank={p.rank} count={p.count} disabled={p.disabled} onChange={(r) => p.onAction(r === null ? { type: "clearRank", id: p.id } : { type: "setRank", id: p.id, rank: r })} />
          <button type="button" className={iconButton} aria-label={`Move ${p.label} up`} disabled={p.disabled} onClick={() => p.onAction({ type: "moveUp", id: p.id })}>
            <span aria-hidden>↑</span>
          </button>
          <button type="button" className={iconButton} aria-label={`Move ${p.label} down`} disabled={p.disabled} onClick={() => p.onAction({ type: "moveDown", id: p.id })}>
            <span aria-hidden>↓</span>
          </button>
        </div>
      </div>
      <CompletionBody id={p.id} label={p.label} text={p.text} expanded={p.expanded} onToggle={p.onToggleExpanded} />
      <div className="mt-4 flex flex-col gap-3 border-t border-slate-200 pt-3 dark:border-slate-700 sm:flex-row sm:flex-wrap sm:items-end sm:justify-between">
        <FlagToggles label={p.label} flags={p.flags} onToggle={p.onToggleFlag} disabled={p.disabled} />
        <RatingInput id={p.id} label={p.label} value={p.rating} onChange={p.onRating} disabled={p.disabled} />
      </div>
    </li>
  );
}
