/**
 * What a new project starts with unless told otherwise: the new-project form
 * shows these, and `studio project create` uses them for the flags it is not given.
 */
export const PROJECT_DEFAULTS = {
  guidelines: "Rank from best (1) to worst. Prefer correct, helpful, concise answers.",
  completionsPerPrompt: 4,
  rankingsPerPrompt: 2,
  modelId: "demo",
  decodingPresets: [
    { name: "greedy", config: { temperature: 0, max_new_tokens: 64 } },
    { name: "t0.7-p0.9", config: { temperature: 0.7, top_p: 0.9, max_new_tokens: 64 } },
    { name: "t1.0-k40", config: { temperature: 1.0, top_k: 40, max_new_tokens: 64 } },
    { name: "min-p 0.05", config: { temperature: 1.0, min_p: 0.05, max_new_tokens: 64 } },
  ],
} as const;
