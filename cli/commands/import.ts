/**
 * `studio import`: load a preference file (any format of lib/datasets'
 * registry that has a parser; gzip accepted) into a project. Every line is parsed before anything is stored,
 * and everything is stored in one transaction, so a bad line (reported with
 * its number) leaves the database untouched.
 *
 * Pairs become two-completion rankings filed under disabled pseudo-users
 * "imported-N" (N = the pair's position among its prompt's pairs), since a
 * user ranks a prompt at most once; completions get modelId "imported". Raw
 * rankings are restored under their (pseudonymous) annotator ids.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { importPreferenceData, type ImportItem } from "@/db/queries/import-data";
import { splitLines } from "@/lib/datasets/formats/lines";
import type { ImportableFormat } from "@/lib/datasets/format";
import { formatHelp, IMPORT_FORMATS, importFormatSchema } from "@/lib/datasets/registry";
import { describeFlagError, resolveProject } from "./project-arg";

const USAGE = `Usage: studio import --project ID|NAME --format F --file FILE[.gz]

  --format F   ${formatHelp(IMPORT_FORMATS)}`;

const flagsSchema = z.object({
  format: importFormatSchema,
  file: z.string().min(1),
  project: z.string().min(1),
});

async function* textChunks(file: string): AsyncGenerator<string> {
  const raw = fs.createReadStream(file);
  const gz = file.endsWith(".gz") || (await firstBytes(file)).equals(Buffer.from([0x1f, 0x8b]));
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  stream.setEncoding("utf8");
  for await (const chunk of stream) yield chunk as string;
}

async function firstBytes(file: string): Promise<Buffer> {
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(2);
    await fh.read(buf, 0, 2, 0);
    return buf;
  } finally {
    await fh.close();
  }
}

async function readItems(format: ImportableFormat, file: string): Promise<ImportItem[]> {
  const lines = splitLines(textChunks(file));
  const items: ImportItem[] = [];
  if (format.rows === "rankings") {
    for await (const row of format.parse(lines)) items.push({ kind: "ranking", row });
  } else {
    for await (const pair of format.parse(lines)) items.push({ kind: "pair", pair });
  }
  return items;
}

export async function runImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { project: { type: "string" }, format: { type: "string" }, file: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help) return (console.log(USAGE), 0);
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`${describeFlagError(parsed.error)}\n${USAGE}`);
  const { format, file } = parsed.data;
  const project = await resolveProject(parsed.data.project);
  const items = await readItems(format, file);
  const s = await importPreferenceData({ projectId: project.id, items });
  console.log(`Imported ${items.length} line(s) into "${project.name}": ${s.prompts} new prompts, ${s.completions} new completions, ${s.rankings} rankings (${s.skipped} already present).`);
  return 0;
}
