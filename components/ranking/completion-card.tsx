"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useCallback } from "react";
import { isLongText } from "@/lib/ranking/announce";
import type { Rubric } from "@/lib/ranking/rubric";
import type { RankingAction } from "@/lib/ranking/state";
import { CardJudgement, type Judgement, type JudgementHandlers } from "./card-judgement";
import { BestToggle, RankSelect } from "./completion-controls";
import { SafeMarkdown } from "./markdown";
import { RewriteEditor } from "./rewrite-editor";

/** Rewriting from a card: open the editor, save it, or drop the annotator's own rewrite. */
export interface CardRewrite {
  /** Set on the annotator's rewrite: the label of the response it was edited from. */
  of: string | null;
  /** The text the rewrite must differ from (the parent's; a model card's own). */
  parentText: string;
  editing: boolean;
  /** False when no further response fits on screen (or the screen is locked). */
  canRewrite: boolean;
  onEdit: () => void;
  onSave: (text: string) => void;
  onCancel: () => void;
  onDiscard: () => void;
}

export interface CompletionCardProps {
  id: string;
  label: string;
  text: string;
  rubric: Rubric;
  /** Slot number shown on the badge, null when unranked (under "best": 1 when picked as best). */
  rank: number | null;
  /** Labels of the responses tied with this one. */
  tiedWith: string[];
  count: number;
  /** How many identical responses this card stands for besides itself (they share its rank). */
  identical: number;
  judgement: Judgement;
  handlers: JudgementHandlers;
  rewrite: CardRewrite;
  disabled: boolean;
  onAction: (action: RankingAction) => void;
  cardRef: (el: HTMLElement | null) => void;
  /** Lifted out of the card: moving between the ranked and unranked lists remounts it. */
  expanded: boolean;
  onToggleExpanded: () => void;
}

const iconButton =
  "inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800";
const linkButton =
  "rounded text-sm font-medium text-indigo-700 underline hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 dark:text-indigo-300 dark:hover:text-indigo-200";

function RankBadge({ rank, tied, best }: { rank: number | null; tied: boolean; best: boolean }) {
  const tone = rank === null ? "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" : "bg-indigo-600 text-white";
  const text = best ? (rank === null ? "Not best" : `Best${tied ? " (tie)" : ""}`) : rank === null ? "Unranked" : `Rank ${rank}${tied ? " (tie)" : ""}`;
  return (
    <span data-testid="rank-badge" data-rank={rank ?? ""} className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${tone}`}>
      {text}
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
        <button type="button" aria-expanded={expanded} aria-controls={bodyId} onClick={onToggle} className={`mt-2 ${linkButton}`}>
          {expanded ? "Collapse response" : "Show full response"}
          <span className="sr-only"> {label}</span>
        </button>
      ) : null}
    </div>
  );
}

/** Rank picker and arrows (full ranking), or the best toggle (best-only). */
function CardControls({ p }: { p: CompletionCardProps }) {
  if (p.rubric.scale === "best") {
    return <BestToggle label={p.label} best={p.rank !== null} disabled={p.disabled} onChange={(best) => p.onAction(best ? { type: "setRank", id: p.id, rank: 1 } : { type: "clearRank", id: p.id })} />;
  }
  return (
    <>
      <RankSelect id={p.id} label={p.label} rank={p.rank} count={p.count} disabled={p.disabled} onChange={(r) => p.onAction(r === null ? { type: "clearRank", id: p.id } : { type: "setRank", id: p.id, rank: r })} />
      <button type="button" className={iconButton} aria-label={`Move ${p.label} up`} disabled={p.disabled} onClick={() => p.onAction({ type: "moveUp", id: p.id })}>
        <span aria-hidden>↑</span>
      </button>
      <button type="button" className={iconButton} aria-label={`Move ${p.label} down`} disabled={p.disabled} onClick={() => p.onAction({ type: "moveDown", id: p.id })}>
        <span aria-hidden>↓</span>
      </button>
    </>
  );
}

/** Notes under the heading: a rewrite names its parent; a card standing for identical responses says so. */
function CardNotes({ p }: { p: CompletionCardProps }) {
  if (!p.rewrite.of && p.identical === 0) return null;
  return (
    <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">
      {p.rewrite.of ? <span data-testid="rewrite-note">Your rewrite of {p.rewrite.of} (a human-written response). </span> : null}
      {p.identical > 0 ? <span data-testid="identical-note">Shown once: {p.identical + 1} responses were identical and all get this {p.rubric.scale === "best" ? "verdict" : "rank"}.</span> : null}
    </p>
  );
}

function RewriteActions({ p }: { p: CompletionCardProps }) {
  if (p.rewrite.editing) return null;
  const locked = p.disabled || !p.rewrite.canRewrite;
  return (
    <div className="mt-3 flex flex-wrap gap-4">
      {p.rewrite.of ? (
        <>
          <button type="button" className={linkButton} disabled={p.disabled} onClick={p.rewrite.onEdit}>Edit rewrite<span className="sr-only"> {p.label}</span></button>
          <button type="button" className={linkButton} disabled={p.disabled} onClick={p.rewrite.onDiscard}>Discard rewrite<span className="sr-only"> {p.label}</span></button>
        </>
      ) : (
        <button type="button" className={linkButton} disabled={locked} onClick={p.rewrite.onEdit} title={p.rewrite.canRewrite ? undefined : "Nine responses are on screen already"}>
          Rewrite into a better response<span className="sr-only"> ({p.label})</span>
        </button>
      )}
    </div>
  );
}

export function CompletionCard(p: CompletionCardProps) {
  const full = p.rubric.scale === "full";
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: p.id, disabled: p.disabled || !full });
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
      data-source={p.rewrite.of ? "human" : "model"}
      tabIndex={0}
      aria-labelledby={headingId}
      aria-describedby="ranking-card-help"
      className={`min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-slate-900 dark:ring-slate-700 ${tied ? "border-l-4 border-indigo-500" : ""} ${isDragging ? "relative z-10 shadow-lg ring-2 ring-indigo-500" : ""}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        {full ? (
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
        ) : null}
        <h3 id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
          {p.label}
        </h3>
        <RankBadge rank={p.rank} tied={tied} best={!full} />
        {tied ? <span className="text-xs text-slate-700 dark:text-slate-300">tied with {p.tiedWith.join(", ")}</span> : null}
        <div className="ml-auto flex items-center gap-1.5">
          <CardControls p={p} />
        </div>
      </div>
      <CardNotes p={p} />
      {p.rewrite.editing ? (
        <RewriteEditor id={p.id} title={p.rewrite.of ? `Edit your rewrite (${p.label})` : `Your rewrite of ${p.label}`} initial={p.text} parentText={p.rewrite.parentText} onSave={p.rewrite.onSave} onCancel={p.rewrite.onCancel} />
      ) : (
        <CompletionBody id={p.id} label={p.label} text={p.text} expanded={p.expanded} onToggle={p.onToggleExpanded} />
      )}
      <RewriteActions p={p} />
      <CardJudgement id={p.id} label={p.label} rubric={p.rubric} judgement={p.judgement} handlers={p.handlers} disabled={p.disabled} />
    </li>
  );
}
