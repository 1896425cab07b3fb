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
    { name: "greedy", config: { temperature: 0, max_new_tokens: 48 } },
    { name: "t0.7-p0.9", config: { temperature: 0.7, top_p: 0.9, max_new_tokens: 48 } },
    { name: "t1.0-k40", config: { temperature: 1.0, top_k: 40, max_new_tokens: 48 } },
    { name: "minp0.05", config: { temperature: 1.0, min_p: 0.05, max_new_tokens: 48 } },
  ],
};

const SAMPLE_PROMPTS = [
  "What is 17 + 25?",
  "Which is larger, 48 or 84?",
  "How many times does the letter r appear in strawberry?",
  "Reverse the words: red green blue",
  "Sort these words alphabetically: pear apple fig",
  "Convert 3 kilometers to meters.",
  "What is the capital of France?",
  "What is the opposite of hot?",
  "What is the plural of mouse?",
  "Answer in uppercase: what color is the sky?",
  "Write a two-sentence story about Mia and a red kite.",
  "What is 9 times 7?",
];

export function demoPrompts(): { text: string; metadata?: Record<string, unknown>; verifierId?: string }[] {
  return SAMPLE_PROMPTS.map((text) => ({ text }));
}
