import { generateCorpus } from "@/lib/tasks";

/** The demo project and its sample prompts, seeded by `npm start`. */
export const DEMO_PROJECT = {
  name: "Demo: short answers",
  guidelines: [
    "# How to rank",
    "",
    "Rank the completions from **best** (1) to **worst**. Prefer answers that are:",
    "",
    "1. **Correct** — the arithmetic, fact or count is right.",
    "2. **Following the instruction** — the format asked for (uppercase, N words…).",
    "3. **Short and clean** — no rambling or repeated text.",
    "",
    "Use a tie when two answers are equally good. Flag anything harmful or off-topic.",
  ].join("\n"),
  completionsPerPrompt: 4,
  rankingsPerPrompt: 2,
  modelId: "demo",
  decodingPresets: [
    { name: "greedy", config: { temperature: 0, max_new_tokens: 32 } },
    { name: "t0.7-p0.9", config: { temperature: 0.7, top_p: 0.9, max_new_tokens: 32 } },
    { name: "t1.0-k40", config: { temperature: 1.0, top_k: 40, max_new_tokens: 32 } },
    { name: "minp0.05", config: { temperature: 1.0, min_p: 0.05, max_new_tokens: 32 } },
  ],
};

/**
 * Demo prompts come from the demo model's own task families, drawn with a seed
 * the training corpus did not use, so every completion also gets a verdict
 * from the family's verifier (shown to admins beside the human rankings).
 */
const DEMO_PROMPT_SEED = 20261128;
const DEMO_PROMPT_COUNT = 27;

export function demoPrompts(): { text: string; metadata?: Record<string, unknown>; verifierId?: string }[] {
  return generateCorpus(DEMO_PROMPT_SEED, DEMO_PROMPT_COUNT).map((item) => ({
    text: item.prompt,
    verifierId: item.verifierId,
    metadata: { family: item.family, verifier: item.meta, reference: item.response },
  }));
}
