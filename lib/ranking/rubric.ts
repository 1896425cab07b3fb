/**
 * A project's rubric: what the ranking screen asks of an annotator and what the
 * submit route accepts. The admin sets it on the project's settings page (the
 * same zod schema parses it there, in the projects API and when it is read back
 * from projects.rubric). Pure, so the browser and the server share one copy.
 *
 * Rank scales are the ones the export pipeline can represent as dense ranks:
 * - "full": order every response, ties allowed (1, 1, 2, 3…);
 * - "best": pick the best response (or several, tied); the rest share rank 2,
 *   so pairs are best ≻ each other and the rest tie among themselves.
 * A pairwise comparison is a "full" project with K = 2.
 */
import { z } from "zod";

export const RANK_SCALES = ["full", "best"] as const;
export type RankScale = (typeof RANK_SCALES)[number];

export const RANK_SCALE_LABELS: Record<RankScale, string> = {
  full: "Full ranking (order every response, ties allowed)",
  best: "Best only (pick the best response)",
};

/** Overall and per-aspect ratings are 1 (poor) … 7 (excellent) Likert scores. */
export const RATING_MIN = 1;
export const RATING_MAX = 7;
export const MAX_FLAGS = 12;
export const MAX_ASPECTS = 8;

/** Ids name flags and aspects in stored rankings and export columns (`chosen_<aspect>`), so they stay plain. */
const rubricIdSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must start with a-z and hold only a-z, 0-9 and _ (at most 40)");

const itemSchema = z.object({
  id: rubricIdSchema,
  label: z.string().trim().min(1, "must not be empty").max(40),
  description: z.string().trim().max(300).default(""),
}).strict();
export type RubricItem = z.infer<typeof itemSchema>;

function uniqueIds(items: readonly { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `"${item.id}" is used twice` });
    seen.add(item.id);
  });
}

/** The four flags every project had before rubrics were configurable. */
export const DEFAULT_FLAGS: readonly RubricItem[] = [
  { id: "harmful", label: "Harmful", description: "" },
  { id: "factually_wrong", label: "Factually wrong", description: "" },
  { id: "off_topic", label: "Off-topic", description: "" },
  { id: "low_quality", label: "Low quality", description: "" },
];

/** "All are bad" ties every response and raises this flag on each, when the rubric has it. */
export const ALL_BAD_FLAG = "low_quality";

export const rubricSchema = z.object({
  scale: z.enum(RANK_SCALES).default("full"),
  flags: z.array(itemSchema).max(MAX_FLAGS).superRefine(uniqueIds).default(() => DEFAULT_FLAGS.map((f) => ({ ...f }))),
  /** The optional overall 1–7 rating per response (used for rating margins in exports). */
  overallRating: z.boolean().default(true),
  /** Optional per-aspect 1–7 ratings (helpfulness, honesty, harmlessness…). */
  aspects: z.array(itemSchema).max(MAX_ASPECTS).superRefine(uniqueIds).default([]),
}).strict();
export type Rubric = z.infer<typeof rubricSchema>;

export const DEFAULT_RUBRIC: Rubric = rubricSchema.parse({});

/** What the rubric constrains in a submission: completion id → … */
export interface RubricAnswers {
  ranks: Record<string, number>;
  flags: Record<string, readonly string[]>;
  ratings: Record<string, number>;
  aspectRatings: Record<string, Record<string, number>>;
}

const listIds = (items: readonly RubricItem[]) => (items.length ? items.map((i) => i.id).join(", ") : "none");

function flagProblem(flags: RubricAnswers["flags"], rubric: Rubric): string | null {
  const known = new Set(rubric.flags.map((f) => f.id));
  for (const [id, list] of Object.entries(flags)) {
    for (const flag of list) {
      if (!known.has(flag)) return `flags.${id}: "${flag}" is not a flag of this project (${listIds(rubric.flags)})`;
    }
    if (new Set(list).size !== list.length) return `flags.${id}: a flag is listed twice`;
  }
  return null;
}

function ratingProblem(answers: RubricAnswers, rubric: Rubric): string | null {
  if (!rubric.overallRating && Object.keys(answers.ratings).length > 0) return "ratings: this project does not ask for an overall rating";
  const known = new Set(rubric.aspects.map((a) => a.id));
  for (const [id, byAspect] of Object.entries(answers.aspectRatings)) {
    for (const aspect of Object.keys(byAspect)) {
      if (!known.has(aspect)) return `aspectRatings.${id}.${aspect}: not an aspect of this project (${listIds(rubric.aspects)})`;
    }
  }
  return null;
}

/**
 * What is wrong with a submission under `rubric`, naming the field, or null.
 * Ranges (1–7, rank ≥ 1) are the request schema's job; this checks the
 * project-specific part: flags and aspects it defines, the overall rating it
 * asks for, and ranks its scale can hold.
 */
export function rubricProblem(answers: RubricAnswers, rubric: Rubric): string | null {
  if (rubric.scale === "best") {
    const bad = Object.entries(answers.ranks).find(([, r]) => r !== 1 && r !== 2);
    if (bad) return `ranks.${bad[0]}: this project asks only for the best response: rank 1 (best) or 2 (the rest), got ${bad[1]}`;
  }
  return flagProblem(answers.flags, rubric) ?? ratingProblem(answers, rubric);
}
