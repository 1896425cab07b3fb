/**
 * The validation pass of an import: reads the whole file (streaming, bounded
 * memory) before anything is written, and reports every bad line, the first
 * records as they will be stored, and warnings.
 */
import { ImportScan, readImportRecords } from "@/lib/datasets/import-records";
import type { ImportReport } from "@/lib/datasets/import-types";
import { LongPromptWarnings, openPromptLengthCheck } from "./prompt-length";
import { openImportLines, resolveFormat, type ImportFormatChoice, type ReadOptions } from "./read";

export type ScanResult = {
  format: ImportFormatChoice;
  /** Size of the file (compressed when gzipped). */
  bytes: number;
  lines: number;
  records: number;
  invalid: number;
  report: ImportReport;
};

export async function scanImportFile(opts: ReadOptions & { format: ImportFormatChoice | "auto"; modelId?: string }): Promise<ScanResult> {
  const opened = await openImportLines(opts);
  const { format, lines } = await resolveFormat(opened.lines, opts.format);
  const lengthCheck = opts.modelId === undefined ? undefined : await openPromptLengthCheck(opts.modelId);
  const long = lengthCheck && "check" in lengthCheck ? new LongPromptWarnings(lengthCheck.check) : undefined;
  const scan = new ImportScan();
  for await (const r of readImportRecords(lines, format)) {
    scan.add(r);
    if (r.ok) long?.add(r.line, r.item);
  }
  const warnings = long ? long.warnings() : lengthCheck && "skipped" in lengthCheck ? [lengthCheck.skipped] : [];
  if (scan.records === 0 && scan.invalid === 0) warnings.push("The file holds no records.");
  return { format, bytes: opened.size, lines: opened.count(), records: scan.records, invalid: scan.invalid, report: scan.report(warnings) };
}
