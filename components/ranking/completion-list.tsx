"use client";

import {
  DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors,
  type Announcements, type DragEndEvent, type Modifier,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useId, useMemo, useState } from "react";
import { responseLabel } from "@/lib/ranking/announce";
import type { Draft, DraftAction } from "@/lib/ranking/draft";
import { flatOrder, rankOf, tiedWith, type RankingAction } from "@/lib/ranking/state";
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
  texts: Record<string, string>;
  disabled: boolean;
  onAction: (action: RankingAction) => void;
  dispatch: (action: DraftAction) => void;
  cardRef: (id: string) => (el: HTMLElement | null) => void;
  onDraggingChange: (dragging: boolean) => void;
}

export function CompletionList({ draft, texts, disabled, onAction, dispatch, cardRef, onDraggingChange }: CompletionListProps) {
  const { ranking } = draft;
  const order = flatOrder(ranking);
  const ranked = order.slice(0, order.length - ranking.unranked.length);
  const announcements = useAnnouncements(ranking.shown, order);
  const sensors = useSensors(
    // A small distance lets a plain click on the handle stay a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const dndId = useId(); // stable ids keep server and client markup identical (dnd-kit's aria ids)

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    onDraggingChange(false);
    if (!over || active.id === over.id) return;
    onAction({ type: "moveTo", id: String(active.id), index: order.indexOf(String(over.id)) });
  };

  const card = (id: string) => (
    <CompletionCard
      key={id}
      id={id}
      label={responseLabel(ranking.shown, id)}
      text={texts[id] ?? ""}
      rank={rankOf(ranking, id)}
      tiedWith={tiedWith(ranking, id).map((x) => responseLabel(ranking.shown, x))}
      count={ranking.shown.length}
      flags={draft.flags[id] ?? []}
      rating={draft.ratings[id]}
      disabled={disabled}
      onAction={onAction}
      onToggleFlag={(flag) => dispatch({ type: "toggleFlag", id, flag })}
      onRating={(rating) => dispatch({ type: "setRating", id, rating })}
      cardRef={cardRef(id)}
      expanded={expanded[id] ?? false}
      onToggleExpanded={() => setExpanded((e) => ({ ...e, [id]: !e[id] }))}
    />
  );

  return (
    <DndContext
      id={dndId}
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[verticalOnly]}
      accessibility={{ announcements, screenReaderInstructions: { draggable: "To reorder, press Space or Enter to pick up, use the arrow keys to move, Space or Enter to drop, Escape to cancel." } }}
      onDragStart={() => onDraggingChange(true)}
      onDragCancel={() => onDraggingChange(false)}
      onDragEnd={onDragEnd}
    >
      <SortableContext items={order} strategy={verticalListSortingStrategy}>
        <p id="ranked-list-label" className="text-sm font-semibold text-slate-800 dark:text-slate-200">
          Your ranking <span className="font-normal text-slate-700 dark:text-slate-300">(best first)</span>
        </p>
        {ranked.length > 0 ? (
          <ol aria-labelledby="ranked-list-label" className="mt-2 space-y-3">
            {ranked.map(card)}
          </ol>
        ) : (
          <p className="mt-2 rounded-lg border-2 border-dashed border-slate-300 p-4 text-sm text-slate-700 dark:border-slate-600 dark:text-slate-300">
            Nothing ranked yet. Focus a response and press its rank (1–{Math.min(9, ranking.shown.length)}), pick a rank from its menu, or drag it to the top.
          </p>
        )}
        {ranking.unranked.length > 0 ? (
          <>
            <p id="unranked-list-label" className="mt-6 text-sm font-semibold text-slate-800 dark:text-slate-200">
              Not ranked yet ({ranking.unranked.length})
            </p>
            <ul aria-labelledby="unranked-list-label" className="mt-2 space-y-3">
              {ranking.unranked.map(card)}
            </ul>
          </>
        ) : null}
      </SortableContext>
    </DndContext>
  );
}
