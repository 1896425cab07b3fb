/**
 * The model card of a version trained here: where it came from (parent,
 * method), on what data (the export options and a sha256 of the exact pairs),
 * with which hyper-parameters, and how well it did. Stored as JSON on the
 * version row and written as README.md into its Hugging Face folder.
 */
import { z } from "zod";
import { sha256Hex } from "@/lib/datasets/sha256";
import type { PreferencePair } from "@/lib/datasets/types";

const jsonRecord = z.record(z.string(), z.unknown());

/** What a training job knows about its run (the registry adds name, method and parent). */
export const trainingCardSchema = z.object({
  /** The training data; null for a model trained outside the app and registered with `studio versions add`. */
  data: z
    .object({
      /** The export options the pairs were made with (mode, split, filters), so the same pairs can be exported again. */
      exportOptions: jsonRecord,
      pairs: z.number().int().min(0),
      /** sha256 of the pairs (see pairsSha256). */
      pairsSha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 in lower-case hex"),
    })
    .nullable(),
  hyperParameters: jsonRecord,
  metrics: jsonRecord,
});
export type TrainingCard = z.infer<typeof trainingCardSchema>;

/** The card as stored: the training facts plus the version's own identity. */
export type ModelCard = TrainingCard & {
  name: string;
  method: string;
  parent: { id: string; name: string } | null;
  createdAt: string;
};

/**
 * sha256 of pairs by identity (prompt, chosen, rejected, annotator), one JSON
 * line each in the given order: the same export options over the same
 * rankings give the same digest, whatever the text encoding of the export.
 */
export function pairsSha256(pairs: Iterable<Pick<PreferencePair, "promptId" | "chosenId" | "rejectedId" | "annotatorId">>): string {
  const lines: string[] = [];
  for (const p of pairs) lines.push(JSON.stringify([p.promptId, p.chosenId, p.rejectedId, p.annotatorId ?? null]));
  return sha256Hex(lines.join("\n"));
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (rec: Record<string, unknown>) =>
  Object.keys(rec).length === 0
    ? "(none)\n"
    : `| name | value |\n|---|---|\n${Object.entries(rec)
        .map(([k, v]) => `| ${cell(k)} | ${cell(JSON.stringify(v) ?? "null")} |`)
        .join("\n")}\n`;

/** README.md of the version's Hugging Face folder (a Hub model card: YAML front matter, then Markdown). */
export function modelCardMarkdown(card: ModelCard): string {
  const from = card.parent ? `version "${card.parent.name}"` : "no recorded parent";
  const data = card.data
    ? `- ${card.data.pairs} preference pairs, sha256 \`${card.data.pairsSha256}\`\n- export options:\n\n\`\`\`json\n${JSON.stringify(card.data.exportOptions, null, 2)}\n\`\`\`\n`
    : "Trained outside RLHF Studio; no data snapshot was recorded.\n";
  return `---
library_name: transformers
tags:
  - rlhf-studio
  - ${card.method}
---

# ${card.name}

Made with ${card.method} from ${from} in RLHF Studio on ${card.createdAt}.

## Data

${data}
## Hyper-parameters

${table(card.hyperParameters)}
## Metrics

${table(card.metrics)}`;
}
