import type { DemoOptions } from "./demo-setup";
import type { EvalReport } from "./eval";
import type { LlamaTrainConfig } from "./model/config";
import { paramCount } from "./model/config";

export interface CardFacts {
  command: string;
  options: DemoOptions;
  config: LlamaTrainConfig;
  trainExamples: number;
  stepsDone: number;
  finalLoss: number;
  firstLoss: number;
  /** Training tokens/s of this invocation; NaN when it trained no steps (export only). */
  tokensPerSecond: number;
  trainSeconds: number;
  tokensSeen: number;
  report: EvalReport;
  files: string[];
  /** Training invocations in order; more than one means the run was resumed (maybe with another --steps). */
  segments: { fromStep: number; toStep: number; steps: number; threads: number }[];
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

/** README.md for models/demo: how it was made, on what, and how well it does by the verifiers. */
export function modelCard(f: CardFacts): string {
  const o = f.options;
  const rows = f.report.families.map(
    (r) => `| ${r.family} | ${r.prompts} | ${pct(r.greedyAccuracy)} | ${pct(r.sampleAccuracy)} | ${pct(r.mixedShare)} |`,
  );
  const all = f.report.overall;
  const runs = f.segments.filter((s) => s.toStep > s.fromStep);
  const history =
    runs.length > 1
      ? `\n- **Resumed**: trained in ${runs.length} invocations from the same checkpoint: ${runs
          .map((s) => `steps ${s.fromStep + 1}–${s.toStep} with --steps ${s.steps} (${s.threads} thread${s.threads > 1 ? "s" : ""})`)
          .join("; ")}. The cosine schedule follows --steps, so the LR was re-planned at each resume.`
      : "";
  const examples = f.report.examples.map((e) => `| ${e.family} | \`${e.prompt}\` | \`${e.greedy.replace(/\|/g, "\\|")}\` | ${e.correct ? "yes" : "no"} |`);
  return `# RLHF Studio demo model

A ${(paramCount(f.config) / 1e6).toFixed(2)}M-parameter Llama-architecture chat model trained from scratch by this
repository's own TypeScript trainer (\`lib/train\`), so the app has a model to sample and rank offline.
It is a toy: it knows nine small task families and nothing else.

## How it was made

\`\`\`
${f.command}
\`\`\`

- **Data**: ${o.corpusSize} generated instruction → response pairs (seed ${o.seed}) from nine task families with
  verifiers (\`lib/tasks\`): arithmetic, compare, count-letters, reverse-words, sort-words,
  unit-conversion, fact-pick (capitals / opposites / plurals), format (uppercase / N words), story.
  ${f.trainExamples} examples fit the ${o.maxSeqLen}-token context. ChatML framing; loss on response tokens only.
- **Tokenizer**: byte-level BPE, ${o.merges} merges trained on the corpus, + \`<|endoftext|>\`, \`<|im_start|>\`, \`<|im_end|>\` (vocab ${f.config.vocabSize}).
- **Model**: dim ${f.config.dim}, ${f.config.nLayers} layers, ${f.config.nHeads} heads / ${f.config.nKvHeads} KV heads, SwiGLU ${f.config.hiddenDim},
  RoPE θ=${f.config.ropeTheta}, RMSNorm, tied embeddings, context ${f.config.maxSeqLen}.
- **Optimisation**: AdamW (β 0.9/0.95, decoupled weight decay ${o.weightDecay}), peak LR ${o.lr} with ${o.warmup} warm-up steps and
  cosine decay to ${o.minLr}, batch ${o.batch}×${o.accum} sequences, gradient clip ${o.clip}, ${f.stepsDone} steps.${history}
- **Loss**: ${f.firstLoss.toFixed(3)} at step 1 → ${f.finalLoss.toFixed(3)} (mean of the last 50 steps).
- **Speed**: ${Number.isFinite(f.tokensPerSecond) ? `${f.tokensPerSecond.toFixed(0)} training tokens/s in the last training invocation; ` : ""}${(f.tokensSeen / 1e6).toFixed(2)}M tokens
  in ${(f.trainSeconds / 60).toFixed(1)} min of training (${(f.tokensSeen / Math.max(1, f.trainSeconds)).toFixed(0)} tokens/s on average, ${o.threads} thread(s) of a shared 2-core machine).

## Evaluation (held-out prompts, judged by the task verifiers)

Greedy = temperature 0. Samples = ${o.samples} per prompt at temperature 1.0. "Mixed" = share of prompts whose
${o.samples} samples include both a right and a wrong answer — prompts where ranking samples teaches something.
Prompts come from a different seed than the training data, but several families draw from small tables
(capitals, opposites, plurals, unit pairs, the story names), so those rows measure recall rather than generalisation;
arithmetic and compare have more combinations than the run sees often enough to learn.

| family | prompts | greedy accuracy | sample accuracy | mixed |
|---|---|---|---|---|
${rows.join("\n")}
| **all** | ${all.prompts} | ${pct(all.greedyAccuracy)} | ${pct(all.sampleAccuracy)} | ${pct(all.mixedShare)} |

| family | prompt | greedy answer | correct |
|---|---|---|---|
${examples.join("\n")}

## Files

${f.files.map((x) => `- \`${x}\``).join("\n")}

Prompt format (also in \`tokenizer_config.json\` as \`chat_template\`):

\`\`\`
<|im_start|>user
What is 7 + 5?<|im_end|>
<|im_start|>assistant
\`\`\`
`;
}
