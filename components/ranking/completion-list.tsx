"use client";

import {
  DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors,
  type Announcements, type DragEndEvent, type Modifier,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useId, useMemo, useState, type ReactNode } from "react";
import { responseLabel } from "@/lib/ranking/announce";
import type { Draft, DraftAction } from "@/lib/ranking/draft";
import { MAX_SHOWN, type Rewrite } from "@/lib/ranking/rewrite";
import type { Rubric } from "@/lib/ranking/rubric";
import { flatOrder, rankOf, tiedWith, type RankingAction } from "@/lib/ranking/state";
import { newSubmissionKey } from "@/lib/ranking/uuid";
import { CompletionCard } from "./completion-card";

// The list is one column: keep the dragged card on its vertical axis (no sideways drift on phones).
const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });

function useAnnouncements(shown: readonly string[], order: string[]): Announcements {
  return useMemo(() => {
    const name = (id: string | number) => responseLabel(shown, String(id));
    const pos = (id: string | number) => `position ${order.indexOf(String(id)) + 1} of ${order.length}`;
    return {
      onDragStart: ({ active }) => `Picked up ${name(active.id)} at ${pos(active.id)}.`,
      onDragOver: ({ active, over }) => (over ? `${name(active.id)} is over ${pos(over.id)}.` : `${name(active.id)} is not over a position.`),
      onDragEnd: ({ active, over }) => (over ? `Dropped ${name(active.id)} at ${pos(over.id)}.` : `Dropped ${name(active.id)}.`),
      onDragCancel: ({ active }) => `Cancelled. ${name(active.id)} is back at ${pos(active.id)}.`,
    };
  }, [shown, order]);
}

export interface CompletionListProps {
  draft: Draft;
  /** The task's texts by completion id (rewrites' texts come from the draft). */
  texts: Record<string, string>;
  rubric: Rubric;
  /** Shown completion id → how many identical ones it stands for besides itself. */
  identical: Record<string, number>;
  disabled: boolean;
  onAction: (action: RankingAction) => void;
  dispatch: (action: DraftAction) => void;
  /** After a rewrite is saved as a new response (to announce it and move focus there). */
  onRewriteAdded: (id: string, parentId: string) => void;
  cardRef: (id: string) => (el: HTMLElement | null) => void;
  onDraggingChange: (dragging: boolean) => void;
}

function RankedLists({ ranked, unranked, count, card }: { ranked: string[]; unranked: readonly string[]; count: number; card: (id: string) => ReactNode }) {
  return (
    <>
      <p id="ranked-list-label" className="text-sm font-semibold text-slate-800 dark:text-slate-200">
        Your ranking <span className="font-normal text-slate-700 dark:text-slate-300">(best first)</span>
      </p>
      {ranked.length > 0 ? (
        <ol aria-labelledby="ranked-list-label" className="mt-2 space-y-3">{ranked.map(card)}</ol>
      ) : (
        <p className="mt-2 rounded-lg border-2 border-dashed border-slate-300 p-4 text-sm text-slate-700 dark:border-slate-600 dark:text-slate-300">
          Nothing ranked yet. Focus a response and press its rank (1–{Math.min(9, count)}), pick a rank from its menu, or drag it to the top.
        </p>
      )}
      {unranked.length > 0 ? (
        <>
          <p id="unranked-list-label" className="mt-6 text-sm font-semibold text-slate-800 dark:text-slate-200">
            Not ranked yet ({unranked.length})
          </p>
          <ul aria-labelledby="unranked-list-label" className="mt-2 space-y-3">{unranked.map(card)}</ul>
        </>
      ) : null}
    </>
  );
}

/** What one card needs from the list: the draft's view of it and the list's editing state. */
interface CardContext {
  p: CompletionListProps;
  rewrites: Map<string, Rewrite>;
  editing: string | null;
  setEditing: (id: string | null) => void;
  canRewrite: boolean;
  expanded: Record<string, boolean>;
  toggleExpanded: (id: string) => void;
}

function saveRewrite(c: CardContext, id: string, text: string): void {
  c.setEditing(null);
  if (c.rewrites.has(id)) return c.p.dispatch({ type: "editRewrite", id, text });
  const rewrite = { id: newSubmissionKey(), parentId: id, text };
  c.p.dispatch({ type: "addRewrite", rewrite });
  c.p.onRewriteAdded(rewrite.id, id);
}

function ListedCard({ id, c }: { id: string; c: CardContext }) {
  const { p } = c;
  const { draft, dispatch } = p;
  const { ranking } = draft;
  const own = c.rewrites.get(id);
  return (
    <CompletionCard
      id={id}
      label={responseLabel(ranking.shown, id)}
      text={own?.text ?? p.texts[id] ?? ""}
      rubric={p.rubric}
      rank={rankOf(ranking, id)}
      tiedWith={tiedWith(ranking, id).map((x) => responseLabel(ranking.shown, x))}
      count={ranking.shown.length}
      identical={p.identical[id] ?? 0}
      judgement={{ flags: draft.flags[id] ?? [], rating: draft.ratings[id], aspectRatings: draft.aspectRatings[id] ?? {} }}
      handlers={{
        onToggleFlag: (flag) => dispatch({ type: "toggleFlag", id, flag }),
        onRating: (rating) => dispatch({ type: "setRating", id, rating }),
        onAspectRating: (aspect, rating) => dispatch({ type: "setAspectRating", id, aspect, rating }),
      }}
      rewrite={{
        of: own ? responseLabel(ranking.shown, own.parentId) : null,
        parentText: own ? (p.texts[own.parentId] ?? "") : (p.texts[id] ?? ""),
        editing: c.editing === id,
        canRewrite: c.canRewrite,
        onEdit: () => c.setEditing(id),
        onSave: (text) => saveRewrite(c, id, text),
        onCancel: () => c.setEditing(null),
        onDiscard: () => dispatch({ type: "removeRewrite", id }),
      }}
      disabled={p.disabled}
      onAction={p.onAction}
      cardRef={p.cardRef(id)}
      expanded={c.expanded[id] ?? false}
      onToggleExpanded={() => c.toggleExpanded(id)}
    />
  );
}

export function CompletionList(p: CompletionListProps) {
  const { ranking } = p.draft;
  const full = p.rubric.scale === "full";
  // Best-only keeps the shown order: nothing is ordered, one (or a tie) is picked.
  const order = full ? flatOrder(ranking) : [...ranking.shown];
  const announcements = useAnnouncements(ranking.shown, order);
  const sensors = useSensors(
    // A small distance lets a plain click on the handle stay a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const dndId = useId(); // stable ids keep server and client markup identical (dnd-kit's aria ids)
  const c: CardContext = {
    p, editing, setEditing, expanded,
    rewrites: new Map(p.draft.rewrites.map((r) => [r.id, r])),
    canRewrite: !p.disabled && ranking.shown.length < MAX_SHOWN,
    toggleExpanded: (id) => setExpanded((e) => ({ ...e, [id]: !e[id] })),
  };
  const card = (id: string) => <ListedCard key={id} id={id} c={c} />;

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    p.onDraggingChange(false);
    if (!over || active.id === over.id) return;
    p.onAction({ type: "moveTo", id: String(active.id), index: order.indexOf(String(over.id)) });
  };

  return (
    <DndContext
      id={dndId}
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[verticalOnly]}
      accessibility={{ announcements, screenReaderInstructions: { draggable: "To reorder, press Space or Enter to pick up, use the arrow keys to move, Space or Enter to drop, Escape to cancel." } }}
      onDragStart={() => p.onDraggingChange(true)}
      onDragCancel={() => p.onDraggingChange(false)}
      onDragEnd={onDragEnd}
    >
      <SortableContext items={order} strategy={verticalListSortingStrategy}>
        {full ? (
          <RankedLists ranked={order.slice(0, order.length - ranking.unranked.length)} unranked={ranking.unranked} count={ranking.shown.length} card={card} />
        ) : (
          <ul aria-label="Responses" className="space-y-3">{order.map(card)}</ul>
        )}
      </SortableContext>
    </DndContext>
  );
}
