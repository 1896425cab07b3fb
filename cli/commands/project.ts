/**
 * `studio project create|list|update`: projects from the command line, so a
 * whole workflow (create → import → export) needs no browser. Input goes
 * through the API's own zod schemas (lib/projects/schema.ts) and the query
 * layer, and each change is written to the audit log as in the app.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { writeAudit } from "@/db/queries/audit";
import { createProject, listProjects, updateProject } from "@/db/queries/projects";
import { validatePresets } from "@/lib/generation/presets";
import { PROJECT_DEFAULTS } from "@/lib/projects/defaults";
import { createProjectSchema, PROJECT_STATUSES, updateProjectSchema } from "@/lib/projects/schema";
import { resolveProject } from "./project-arg";

const USAGE = `Usage:
  studio project create --name NAME [--k K] [--n N] [--model M] [--guidelines FILE] [--presets FILE]
  studio project list [--json]
  studio project update ID|NAME [--name NAME] [--k K] [--n N] [--model M] [--status S] [--guidelines FILE]

  --k K            completions per prompt, 2–9 (create: default ${PROJECT_DEFAULTS.completionsPerPrompt})
  --n N            rankings wanted per prompt, 1–20 (create: default ${PROJECT_DEFAULTS.rankingsPerPrompt})
  --model M        "demo", a Hugging Face folder or a .gguf file (create: default ${PROJECT_DEFAULTS.modelId})
  --guidelines F   a Markdown file shown to annotators
  --presets F      a JSON file with the decoding presets (create: default the form's four)
  --status S       ${PROJECT_STATUSES.join(" | ")}

create prints the new project's id.`;

/** Schema field → the flag that sets it, so an error names what the user typed. */
const FLAG_OF: Record<string, string> = { completionsPerPrompt: "--k", rankingsPerPrompt: "--n", modelId: "--model", decodingPresets: "--presets" };

function flagError(error: z.ZodError): Error {
  const issue = error.issues[0]!;
  const field = String(issue.path[0] ?? "");
  return new Error(`${FLAG_OF[field] ?? `--${field}`}: ${issue.message}\n\n${USAGE}`);
}

/** A number flag as a number; text that is not one stays text so the schema names the flag. */
const numberFlag = (v: string | undefined): number | string | undefined => (v === undefined ? undefined : v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);

function readFileFlag(flag: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}

const SETTINGS = {
  name: { type: "string" }, k: { type: "string" }, n: { type: "string" }, model: { type: "string" }, guidelines: { type: "string" },
} as const;

/** The settings flags as schema fields; absent flags are left out. */
function settings(v: { name?: string; k?: string; n?: string; model?: string; guidelines?: string }) {
  const fields = { name: v.name, completionsPerPrompt: numberFlag(v.k), rankingsPerPrompt: numberFlag(v.n), modelId: v.model, guidelines: readFileFlag("--guidelines", v.guidelines) };
  return Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined));
}

async function create(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({ args: argv, options: { ...SETTINGS, presets: { type: "string" } }, strict: true, allowPositionals: false });
  const presets = readFileFlag("--presets", v.presets);
  let decodingPresets: unknown = PROJECT_DEFAULTS.decodingPresets;
  if (presets !== undefined) {
    try {
      decodingPresets = JSON.parse(presets);
    } catch (err) {
      throw new Error(`--presets: ${v.presets} is not valid JSON (${(err as Error).message})`, { cause: err });
    }
  }
  const parsed = createProjectSchema.safeParse({
    guidelines: PROJECT_DEFAULTS.guidelines, completionsPerPrompt: PROJECT_DEFAULTS.completionsPerPrompt, rankingsPerPrompt: PROJECT_DEFAULTS.rankingsPerPrompt,
    modelId: PROJECT_DEFAULTS.modelId, decodingPresets, ...settings(v),
  });
  if (!parsed.success) throw flagError(parsed.error);
  try {
    validatePresets(parsed.data.decodingPresets);
  } catch (err) {
    throw new Error(`--presets: ${(err as Error).message}`, { cause: err });
  }
  const body = parsed.data;
  const project = await createProject({ ...body, completionSource: body.completionSource ?? null, status: "active" });
  await writeAudit({ actorId: null, action: "project.create", targetType: "project", targetId: project.id, details: { name: body.name, via: "cli" } });
  console.log(project.id);
  return 0;
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: "boolean" } }, strict: true });
  const projects = await listProjects();
  const rows = projects.map((p) => ({ id: p.id, name: p.name, status: p.status, prompts: p.promptCount, rankings: p.rankingCount, k: p.completionsPerPrompt, n: p.rankingsPerPrompt, model: p.modelId }));
  if (values.json) return (console.log(JSON.stringify(rows, null, 2)), 0);
  if (rows.length === 0) return (console.log("No projects yet (studio project create --name NAME)."), 0);
  const table = [["id", "name", "status", "prompts", "rankings", "K", "N", "model"], ...rows.map((r) => [r.id, r.name, r.status, String(r.prompts), String(r.rankings), String(r.k), String(r.n), r.model])];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd());
  return 0;
}

async function update(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({ args: argv, options: { ...SETTINGS, status: { type: "string" } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new Error(`update: name the project once (an id or a name), got ${positionals.length}\n\n${USAGE}`);
  const project = await resolveProject(positionals[0]);
  const parsed = updateProjectSchema.safeParse({ ...settings(v), ...(v.status === undefined ? {} : { status: v.status }) });
  if (!parsed.success) throw flagError(parsed.error);
  if (Object.keys(parsed.data).length === 0) throw new Error(`update: nothing to change; give at least one of --name --k --n --model --status --guidelines\n\n${USAGE}`);
  const updated = await updateProject({ id: project.id, ...parsed.data });
  if (!updated) throw new Error(`update: project ${project.id} was deleted meanwhile`);
  await writeAudit({ actorId: null, action: "project.update", targetType: "project", targetId: project.id, details: { ...parsed.data, via: "cli" } });
  console.log(`Updated "${updated.name}" (${updated.id}): ${Object.keys(parsed.data).join(", ")}.`);
  return 0;
}

export async function runProject(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "create") return create(rest);
  if (sub === "list") return list(rest);
  if (sub === "update") return update(rest);
  if (sub === undefined || sub === "help" || sub === "--help" || sub === "-h") return (console.log(USAGE), sub === undefined ? 2 : 0);
  throw new Error(`project: unknown subcommand "${sub}"\n\n${USAGE}`);
}
