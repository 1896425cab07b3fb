/**
 * `studio export`: write a project's rankings as a preference dataset file,
 * with the same options (and the same code) as the download route.
 */
import fs from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { iterateExportGroups } from "@/db/queries/export-data";
import { writeAudit } from "@/db/queries/audit";
import { projectRubric } from "@/db/queries/projects";
import { getReliabilityScores } from "@/db/queries/reliability";
import { countReviewStatuses } from "@/db/queries/reviews";
import { DEFAULT_FORMAT, formatHelp, FORMATS, TIE_FORMATS, WEIGHT_FORMATS } from "@/lib/datasets/registry";
import { exportOptionsSchema, needsReliability, toExportOptions } from "@/lib/datasets/request";
import { DEFAULT_EXPORT_REVIEW_STATUSES, REVIEW_STATUSES } from "@/lib/datasets/review-status";
import { exportSalt } from "@/lib/datasets/salt";
import { env } from "@/lib/env";
import { exportChunks, exportDatasetCard, exportOrder } from "@/lib/datasets/export";
import { describeFlagError, resolveProject } from "./project-arg";

const USAGE = `Usage: studio export --project ID|NAME --out FILE [options]

  --format F          ${formatHelp(FORMATS, DEFAULT_FORMAT)}
  --mode M            raw (default) | majority | bradley-terry
  --ties T            drop (default) | keep (${TIE_FORMATS.join(", ")} only)
  --margin M          none (default) | rank | rating
  --split S           all (default) | train | test, by prompt
  --test-fraction X   share of prompts in test (default 0.1)   --seed S  split seed (default 0)
  --no-pseudonymise   keep real annotator ids
  --min-agreement X   drop pairs with agreement below X
  --exclude-flagged   drop flagged rankings
  --from ISO --to ISO date range;  --annotators id,id  only these annotators
  --review-status S,S keep rankings in these review states: ${REVIEW_STATUSES.join(" | ")}
                      (default ${DEFAULT_EXPORT_REVIEW_STATUSES.join(",")})
  --min-reliability X drop rankings by annotators whose reliability (CrowdBT) is below X
  --weights W         none (default) | reliability: a weight per row (${WEIGHT_FORMATS.join(", ")}; raw mode)
  --card FILE         also write the dataset card (README.md)
`;

const OPTIONS = {
  project: { type: "string" }, out: { type: "string" }, card: { type: "string" },
  format: { type: "string" }, mode: { type: "string" }, ties: { type: "string" }, margin: { type: "string" }, split: { type: "string" },
  "test-fraction": { type: "string" }, seed: { type: "string" }, "no-pseudonymise": { type: "boolean" },
  "min-agreement": { type: "string" }, "exclude-flagged": { type: "boolean" }, from: { type: "string" }, to: { type: "string" },
  annotators: { type: "string" }, "review-status": { type: "string" }, "min-reliability": { type: "string" }, weights: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runExport(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (v.help || !v.out) {
    console.log(USAGE);
    return v.help ? 0 : 2;
  }
  const parsed = exportOptionsSchema.safeParse(Object.fromEntries(Object.entries({
    format: v.format, mode: v.mode, ties: v.ties, margin: v.margin, split: v.split, testFraction: v["test-fraction"], seed: v.seed,
    pseudonymise: v["no-pseudonymise"] ? "false" : undefined, minAgreement: v["min-agreement"],
    excludeFlagged: v["exclude-flagged"] ? "true" : undefined, from: v.from, to: v.to, annotators: v.annotators,
    reviewStatus: v["review-status"], minReliability: v["min-reliability"], weights: v.weights,
  }).filter(([, x]) => x !== undefined)));
  if (!parsed.success) throw new Error(describeFlagError(parsed.error));
  const request = parsed.data;
  const project = await resolveProject(v.project);
  const reliability = needsReliability(request) ? await getReliabilityScores({ projectId: project.id }) : undefined;
  const options = toExportOptions(request, exportSalt(project.id, env().NEXTAUTH_SECRET), { aspects: projectRubric(project).aspects.map((a) => a.id), reliability });
  const groups = () => iterateExportGroups({ projectId: project.id, order: exportOrder(request), reviewStatuses: request.reviewStatus });
  const started = Date.now();
  const out = fs.createWriteStream(v.out);
  let bytes = 0;
  for await (const chunk of exportChunks(groups(), request, options)) {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  if (v.card) fs.writeFileSync(v.card, await exportDatasetCard(groups(), request, options, project.name, await countReviewStatuses({ projectId: project.id })));
  await writeAudit({ actorId: null, action: "export.cli", targetType: "project", targetId: project.id, details: { ...request, out: v.out } });
  console.log(`Wrote ${bytes} bytes to ${v.out} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}
