/**
 * `studio import`: load a preference file (any format of lib/datasets'
 * registry that has a reader, or detected from its first line; gzip
 * accepted) into a project. Two passes over the file, streaming (bounded
 * memory whatever its size): the first validates every line, and a file with
 * bad lines is refused with every bad line's number before anything is
 * written (unless --skip-invalid, which leaves exactly those lines out); the
 * second stores the records in batches, each in one transaction, tagged with
 * an import run that is swept away whole if the import fails or is
 * interrupted. Progress goes to stderr.
 *
 * Pairs become two-completion rankings by disabled pseudo-users "imported-N";
 * completions get modelId "imported"; raw rankings are restored under their
 * (pseudonymous) annotator ids. Exporting the project in the file's format
 * (raw mode) gives the file's records back, in its order.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createImportRun } from "@/db/queries/import-runs";
import { describeBadLines } from "@/lib/datasets/import-records";
import { formatHelp, IMPORT_FORMATS, importFormatSchema } from "@/lib/datasets/registry";
import { abandonImport, executeImportRun } from "@/lib/dataset-files/import-run";
import type { ImportProgress } from "@/lib/dataset-files/read";
import { scanImportFile } from "@/lib/dataset-files/scan";
import { env } from "@/lib/env";
import { badRequest } from "@/lib/errors";
import { describeFlagError, resolveProject } from "./project-arg";

const USAGE = `Usage: studio import --project ID|NAME --file FILE[.gz] [--format F] [--skip-invalid] [--max-bytes N]

  --format F       auto (default: detected from the first record) | ${formatHelp(IMPORT_FORMATS)}
  --skip-invalid   import the valid records and skip the bad lines (listed by number);
                   without it, a file with a bad line is refused and nothing is stored
  --max-bytes N    largest file read, in bytes once decompressed (default IMPORT_MAX_BYTES)`;

const flagsSchema = z.object({
  format: z.literal("auto").or(importFormatSchema).default("auto"),
  file: z.string().min(1),
  project: z.string().min(1),
  skipInvalid: z.boolean().default(false),
  maxBytes: z.coerce.number().int().positive().optional(),
});

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Progress on stderr: rewritten in place on a terminal, a line every few seconds otherwise. */
function progressPrinter(stage: string): (p: ImportProgress & { stored?: { rankings: number } }) => void {
  let last = 0;
  return (p) => {
    const tty = process.stderr.isTTY;
    if (!tty && Date.now() - last < 5000) return;
    last = Date.now();
    const stored = p.stored ? `, ${p.stored.rankings} rankings stored` : "";
    process.stderr.write(`${tty ? "\r" : ""}${stage}: ${p.lines} lines, ${mb(p.bytesRead)} of ${mb(p.size)}${stored}${tty ? "   " : "\n"}`);
  };
}

export async function runImport(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { project: { type: "string" }, format: { type: "string" }, file: { type: "string" }, "skip-invalid": { type: "boolean" }, "max-bytes": { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) return (console.log(USAGE), 0);
  const parsed = flagsSchema.safeParse({ ...values, skipInvalid: values["skip-invalid"], maxBytes: values["max-bytes"] });
  if (!parsed.success) throw new Error(`${describeFlagError(parsed.error)}\n${USAGE}`);
  const { file, skipInvalid } = parsed.data;
  const maxBytes = parsed.data.maxBytes ?? env().IMPORT_MAX_BYTES;
  const project = await resolveProject(parsed.data.project);

  const scan = await scanImportFile({ file, format: parsed.data.format, maxBytes, modelId: project.modelId, onProgress: progressPrinter("Checking") });
  if (process.stderr.isTTY) process.stderr.write("\n");
  for (const w of scan.report.warnings) console.error(`Warning: ${w}`);
  if (scan.invalid > 0 && !skipInvalid) {
    throw badRequest(`Nothing was imported: ${describeBadLines(scan.report, scan.invalid)}\n(--skip-invalid imports the other ${scan.records} records and skips these lines)`);
  }
  const run = await createImportRun({ projectId: project.id, format: scan.format.id, fileName: path.basename(file), status: "uploaded", bytes: scan.bytes, lines: scan.lines, records: scan.records, invalid: scan.invalid, report: scan.report });
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal);
  try {
    const stored = await executeImportRun({ runId: run.id, file, maxBytes, skipInvalid, signal: stop.signal, onProgress: progressPrinter("Importing") });
    if (process.stderr.isTTY) process.stderr.write("\n");
    const skipped = stored.skippedInvalid ? `; skipped ${stored.skippedInvalid} bad line(s): ${scan.report.badLines}` : "";
    const dup = stored.duplicates ? `; ${stored.duplicates} raw ranking(s) already present (lines ${stored.duplicateLines.join(", ")})` : "";
    console.log(`Imported ${scan.records - stored.duplicates} record(s) (${scan.format.id}) from ${scan.lines} line(s) into "${project.name}": ${stored.prompts} new prompts, ${stored.completions} new completions, ${stored.rankings} rankings${dup}${skipped}. Import run ${run.id}.`);
    return 0;
  } catch (err) {
    // Whatever was stored goes with it: a failed import leaves nothing half-written.
    await abandonImport({ runId: run.id, status: stop.signal.aborted ? "cancelled" : "failed", error: (err as Error).message });
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
