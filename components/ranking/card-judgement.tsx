"use client";

import type { Rubric } from "@/lib/ranking/rubric";
import { FlagToggles, RatingInput } from "./completion-controls";

export interface Judgement {
  flags: readonly string[];
  rating: number | undefined;
  aspectRatings: Readonly<Record<string, number>>;
}

export interface JudgementHandlers {
  onToggleFlag: (flag: string) => void;
  onRating: (rating: number | null) => void;
  onAspectRating: (aspect: string, rating: number | null) => void;
}

/** A card's footer: what the project's rubric asks about one response — flags, the overall rating, each aspect. */
export function CardJudgement({ id, label, rubric, judgement, handlers, disabled }: { id: string; label: string; rubric: Rubric; judgement: Judgement; handlers: JudgementHandlers; disabled: boolean }) {
  const ratings = rubric.overallRating || rubric.aspects.length > 0;
  if (rubric.flags.length === 0 && !ratings) return null;
  return (
    <div className="mt-4 space-y-3 border-t border-slate-200 pt-3 dark:border-slate-700">
      <FlagToggles label={label} options={rubric.flags} flags={judgement.flags} onToggle={handlers.onToggleFlag} disabled={disabled} />
      {ratings ? (
        <div className="grid gap-3 sm:grid-cols-2">
          {rubric.overallRating ? (
            <RatingInput name={`rating-${id}`} legend="Rating (optional, 1 = poor, 7 = excellent)" label={label} value={judgement.rating} onChange={handlers.onRating} disabled={disabled} />
          ) : null}
          {rubric.aspects.map((a) => (
            <RatingInput
              key={a.id}
              name={`aspect-${a.id}-${id}`}
              legend={`${a.label} (optional, 1–7)`}
              description={a.description}
              label={label}
              value={judgement.aspectRatings[a.id]}
              onChange={(r) => handlers.onAspectRating(a.id, r)}
              disabled={disabled}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}
