/**
 * `studio versions list|add`: a project's model versions. `add` registers a
 * Hugging Face folder trained elsewhere (or by `studio sft`) as a version, the
 * way a training job does (registerTrainedVersion). Thin: flags -> the registry.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { listModelVersions } from "@/db/queries/model-versions";
import { GGUF_FILE_TYPE_NAMES, type GgufFileType } from "@/lib/engine/formats/gguf/recipe";
import { registerTrainedVersion } from "@/lib/model-files/version-store";
import { trainingCardSchema } from "@/lib/models/card";
import { describeFlagError, resolveProject } from "./project-arg";

const GGUF_TYPES = GGUF_FILE_TYPE_NAMES.map((t) => t.toLowerCase());

export const VERSIONS_HELP = "a project's model versions: list, or add an HF folder trained elsewhere (versions --help)";

const USAGE = `Usage: studio versions list --project P
       studio versions add --project P --name NAME --from DIR [--parent NAME] [--method M] [--card FILE] [--gguf ${GGUF_TYPES.join("|")}]

  --project P    a project id or name
  --name NAME    the new version's name (unique in the project; letters, digits, . _ -)
  --from DIR     a Hugging Face model folder (config.json, model.safetensors, tokenizer files)
  --parent NAME  the version it was trained from (default: none recorded)
  --method M     how it was made: sft, dpo, grpo… (default: import)
  --card FILE    JSON with { data, hyperParameters, metrics } (lib/models/card.ts); default: none recorded
  --gguf TYPE    tensor type of the GGUF written beside it (default: f32)
`;

const addSchema = z.object({
  project: z.string({ error: "is required" }).min(1),
  name: z.string({ error: "is required" }).min(1),
  from: z.string({ error: "is required" }).min(1),
  parent: z.string().min(1).optional(),
  method: z.string().default("import"),
  card: z.string().min(1).optional(),
  gguf: z.enum(GGUF_TYPES as [string, ...string[]], { error: `must be one of ${GGUF_TYPES.join(", ")}` }).default("f32").transform((t) => t.toUpperCase() as GgufFileType),
});

/** The folder's regular files (README.md is written from the card, the GGUF from the weights). */
async function readFolder(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of (await readdir(dir)).sort()) {
    if (name === "README.md" || name.endsWith(".gguf") || !(await stat(path.join(dir, name))).isFile()) continue;
    files.set(name, await readFile(path.join(dir, name)));
  }
  return files;
}

async function add(values: Record<string, unknown>): Promise<number> {
  const parsed = addSchema.safeParse(values);
  if (!parsed.success) return (console.error(`${describeFlagError(parsed.error)}\n\n${USAGE}`), 2);
  const f = parsed.data;
  const project = await resolveProject(f.project);
  const versions = await listModelVersions({ projectId: project.id });
  const parent = f.parent === undefined ? null : versions.find((v) => v.name === f.parent);
  if (parent === undefined) return (console.error(`--parent: the project has no version "${f.parent}" (it has ${versions.map((v) => v.name).join(", ")})`), 2);
  const card = f.card ? trainingCardSchema.parse(JSON.parse(await readFile(f.card, "utf8"))) : { data: null, hyperParameters: {}, metrics: {} };
  const row = await registerTrainedVersion({ projectId: project.id, name: f.name, parentId: parent?.id ?? null, method: f.method, files: await readFolder(f.from), card, ggufType: f.gguf });
  console.log(`Added version "${row.name}" (${row.id}) to "${project.name}": ${Object.keys(row.files ?? {}).length} files.`);
  return 0;
}

async function list(values: Record<string, unknown>): Promise<number> {
  const project = await resolveProject(values.project as string | undefined);
  for (const v of await listModelVersions({ projectId: project.id })) {
    console.log([v.name, v.kind, v.method ?? "", v.id, v.createdAt.toISOString()].join("\t"));
  }
  return 0;
}

export async function runVersions(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      project: { type: "string" }, name: { type: "string" }, from: { type: "string" }, parent: { type: "string" },
      method: { type: "string" }, card: { type: "string" }, gguf: { type: "string" }, help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help || sub === "--help" || sub === "-h") return (console.log(USAGE), 0);
  if (sub === "list") return list(values);
  if (sub === "add") return add(values);
  console.error(USAGE);
  return 2;
}
