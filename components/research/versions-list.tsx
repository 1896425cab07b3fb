import { Badge, Card } from "@/components/ui/card";
import type { VersionView } from "@/lib/research/versions";

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;
const tone = { base: "slate", endpoint: "amber", trained: "indigo" } as const;

function CardDetails({ card }: { card: Record<string, unknown> }) {
  const data = card.data as { pairs: number; pairsSha256: string; exportOptions: Record<string, unknown> } | null;
  const rows: [string, unknown][] = [["hyper-parameters", card.hyperParameters], ["metrics", card.metrics]];
  return (
    <details className="mt-1 text-xs text-slate-600 dark:text-slate-400">
      <summary className="cursor-pointer">Model card</summary>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
        <dt>data</dt>
        <dd>{data ? <>{data.pairs} pairs · sha256 <code className="break-all">{data.pairsSha256}</code> · export options <code>{JSON.stringify(data.exportOptions)}</code></> : "not recorded (trained elsewhere)"}</dd>
        {rows.map(([k, v]) => (
          <div key={k} className="contents"><dt>{k}</dt><dd><code className="break-all">{JSON.stringify(v)}</code></dd></div>
        ))}
      </dl>
    </details>
  );
}

/** Every model version of the project, with downloads of the ones trained here. */
export function VersionsList({ projectId, versions }: { projectId: string; versions: VersionView[] }) {
  return (
    <Card title="Model versions">
      <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="model-versions">
        {versions.map((v) => (
          <li key={v.id} className="py-2" data-testid="model-version">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{v.name}</span>
                <Badge tone={tone[v.kind]}>{v.kind}</Badge>
                <span className="text-slate-600 dark:text-slate-400">{v.origin}{v.parentName ? ` · from ${v.parentName}` : ""} · added {v.createdAt.slice(0, 10)}</span>
              </span>
              {v.sizes ? (
                <span className="flex gap-3">
                  <a className="text-indigo-700 underline dark:text-indigo-300" href={`/api/projects/${projectId}/versions/${v.id}/download?format=hf`}>HF folder (.tar, {mib(v.sizes.hf)})</a>
                  <a className="text-indigo-700 underline dark:text-indigo-300" href={`/api/projects/${projectId}/versions/${v.id}/download?format=gguf`}>GGUF ({mib(v.sizes.gguf)})</a>
                </span>
              ) : null}
            </div>
            {v.card ? <CardDetails card={v.card} /> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
