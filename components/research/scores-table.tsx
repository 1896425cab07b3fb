import { Card } from "@/components/ui/card";
import type { CompletionView, Disagreement, PromptView } from "@/lib/research/view";

const fmt = (x: number | null) => (x === null ? "–" : x.toFixed(2));
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Each prompt's completions in human order, with the reward and the reward model's order beside the human rank. */
export function ScoresTable({ prompts }: { prompts: PromptView[] }) {
  return (
    <Card title="Completions: reward vs human ranks">
      {prompts.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No ranked prompts yet.</p> : null}
      <div className="space-y-5" data-testid="scores-table">
        {prompts.slice(0, 100).map((p) => (
          <div key={p.promptId}>
            <p className="mb-1 text-sm font-medium">{clip(p.prompt, 200)} <span className="font-normal text-slate-500 dark:text-slate-400">· {p.rankings} ranking(s)</span></p>
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-slate-500 dark:text-slate-400">
                <tr><th className="py-1 pr-2">Human</th><th className="pr-2">RM</th><th className="pr-2">Reward</th><th className="pr-2">Preset</th><th>Completion</th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {p.completions.map((c) => <Row key={c.id} c={c} />)}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </Card>
  );
}

function Row({ c }: { c: CompletionView }) {
  const differs = c.rmRank !== null && c.humanRank !== null && c.rmRank !== c.humanRank;
  return (
    <tr data-testid="score-row">
      <td className="py-1 pr-2 tabular-nums">{c.humanRank ?? "–"}</td>
      <td className={`pr-2 tabular-nums ${differs ? "font-semibold text-amber-700 dark:text-amber-400" : ""}`}>{c.rmRank ?? "–"}</td>
      <td className="pr-2 tabular-nums" data-testid="reward">{fmt(c.reward)}</td>
      <td className="pr-2">{c.preset}</td>
      <td className="text-slate-700 dark:text-slate-300">{clip(c.text)}</td>
    </tr>
  );
}

/** Pairs where annotators agree and the reward model prefers the other completion: candidates for label or model errors. */
export function DisagreementList({ items }: { items: Disagreement[] }) {
  return (
    <Card title="Reward model vs confident human consensus">
      {items.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No disagreements with a confident consensus.</p> : (
        <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="disagreements">
          {items.map((d) => (
            <li key={`${d.promptId}:${d.humanChoice.id}:${d.rmChoice.id}`} className="py-2">
              <p className="font-medium">{clip(d.prompt, 200)}</p>
              <p>Humans ({Math.round(d.agreement * 100)}% of {d.voters}): <span className="text-green-700 dark:text-green-400">{clip(d.humanChoice.text)}</span> · reward {fmt(d.humanChoice.reward)}</p>
              <p>Reward model: <span className="text-amber-700 dark:text-amber-400">{clip(d.rmChoice.text)}</span> · reward {fmt(d.rmChoice.reward)}</p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
