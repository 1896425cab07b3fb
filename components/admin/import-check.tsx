"use client";

import type { ChatMessage } from "@/lib/datasets/types";
import type { ImportItem, ImportRunView } from "@/lib/datasets/import-types";

/** A stored string shown exactly: whitespace kept, an empty one named. */
function Text({ value }: { value: string }) {
  if (value === "") return <em className="text-slate-500">(empty)</em>;
  return <span className="whitespace-pre-wrap break-words rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">{value}</span>;
}

function Conversation({ messages }: { messages: ChatMessage[] }) {
  return (
    <ol className="space-y-1">
      {messages.map((m, i) => (
        <li key={i} className="text-sm"><span className="font-medium">{m.role}:</span> <Text value={m.content} /></li>
      ))}
    </ol>
  );
}

/** One record as it will be stored: the prompt, then each completion (with its own conversation when it has one). */
function Record({ item }: { item: ImportItem }) {
  if (item.kind === "pair") {
    const { pair } = item;
    const side = (label: string, text: string, context?: ChatMessage[]) => (
      <div>
        <p className="text-sm"><span className="font-medium">{label}:</span> <Text value={text} /></p>
        {context ? <div className="mt-1 border-l-2 border-amber-400 pl-2"><p className="text-xs text-slate-500">answers its own conversation:</p><Conversation messages={context} /></div> : null}
      </div>
    );
    return (
      <div className="space-y-2">
        <Conversation messages={pair.prompt} />
        {side("chosen (rank 1)", pair.chosen, pair.chosenContext)}
        {side("rejected (rank 2)", pair.rejected, pair.rejectedContext)}
        {pair.extra ? <p className="text-xs text-slate-500">kept fields: {Object.keys(pair.extra).join(", ")}</p> : null}
      </div>
    );
  }
  const { row } = item;
  return (
    <div className="space-y-2">
      <Conversation messages={row.prompt ?? []} />
      <ul className="space-y-1">
        {Object.entries(row.ranks).sort(([, a], [, b]) => a - b).map(([id, rank]) => (
          <li key={id} className="text-sm"><span className="font-medium">rank {rank}:</span> <Text value={row.completions?.[id] ?? ""} /></li>
        ))}
      </ul>
      <p className="text-xs text-slate-500">by {row.annotatorId}</p>
    </div>
  );
}

/** What validating the upload found: counts, every bad line, warnings and the first records as they will be stored. */
export function ImportCheck({ upload }: { upload: ImportRunView }) {
  const report = upload.report;
  return (
    <div className="space-y-4" data-testid="import-check">
      <p className="text-sm" data-testid="import-counts">
        {upload.fileName}: {upload.records} record(s) in {upload.lines} line(s), format <strong>{upload.format}</strong>
        {upload.invalid > 0 ? <>, <strong className="text-red-700 dark:text-red-400">{upload.invalid} bad line(s)</strong></> : ", no bad lines"}.
      </p>
      {report && upload.invalid > 0 ? (
        <div role="alert" className="text-sm text-red-700 dark:text-red-400">
          <p>Bad lines: {report.badLines}</p>
          <ul className="mt-1 list-disc pl-5" data-testid="import-errors">
            {report.errors.slice(0, 20).map((e) => <li key={e.line}>line {e.line}: {e.message}</li>)}
          </ul>
        </div>
      ) : null}
      {report?.warnings.map((w) => <p key={w} className="text-sm text-amber-800 dark:text-amber-300" data-testid="import-warning">{w}</p>)}
      {report && report.preview.length > 0 ? (
        <div>
          <h3 className="mb-2 text-sm font-semibold">The first records, as they will be stored</h3>
          <ol className="space-y-3">
            {report.preview.map((r) => (
              <li key={r.line} className="rounded-md p-3 ring-1 ring-slate-200 dark:ring-slate-800" data-testid="import-preview-record">
                <p className="mb-1 text-xs text-slate-500">line {r.line}</p>
                <Record item={r.item} />
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </div>
  );
}
