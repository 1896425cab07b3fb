/** Assembles the research page's data in one object the route returns and the page renders. */
import type { PromptGroup } from "@/lib/datasets/types";
import { disagreements, presetLeaderboard, promptViews, rewardByPreset } from "./view";

export function buildResearchView<M extends { id: string }, J>(data: { groups: PromptGroup[]; presetOf: ReadonlyMap<string, string>; scores: ReadonlyMap<string, number>; models: M[]; current: M | null; job: J | null }) {
  const input = { groups: data.groups, presetOf: data.presetOf, scores: data.scores };
  const prompts = promptViews(input);
  return {
    models: data.models,
    currentModelId: data.current?.id ?? null,
    job: data.job,
    prompts,
    disagreements: disagreements(input, prompts).slice(0, 50),
    distribution: rewardByPreset(input),
    leaderboard: presetLeaderboard(input),
  };
}
export type ResearchView = ReturnType<typeof buildResearchView>;
