import { Badge, Card } from "@/components/ui/card";
import type { ModelLeaderboardRow } from "@/lib/stats/model-leaderboard";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function IntervalBar({ row, lo, hi }: { row: NonNullable<ModelLeaderboardRow["human"]>; lo: number; hi: number }) {
  const x = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * 100 : 50);
  return (
    <div className="relative h-3 rounded bg-slate-100 dark:bg-slate-800">
      <div className="absolute top-1 h-1 rounded bg-indigo-400" style={{ left: `${x(row.lower)}%`, width: `${Math.max(1, x(row.upper) - x(row.lower))}%` }} />
      <div className="absolute top-0 h-3 w-0.5 bg-indigo-700 dark:bg-indigo-300" style={{ left: `${x(row.elo)}%` }} />
    </div>
  );
}

/**
 * The project's model versions side by side: human Bradley–Terry Elo (95%
 * bootstrap interval), the reward model's predicted win rate against the other
 * versions, verifier accuracy, and the over-optimisation flag with its reasons.
 */
export function ModelLeaderboard({ rows, rewardModelVersion }: { rows: ModelLeaderboardRow[]; rewardModelVersion: number | null }) {
  const humans = rows.flatMap((r) => (r.human ? [r.human] : []));
  const lo = Math.min(...humans.map((h) => h.lower));
  const hi = Math.max(...humans.map((h) => h.upper));
  return (
    <Card title="Model leaderboard">
      <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
        Human preference from blind rankings of the versions&apos; completions (the first version is pinned at 1000), the reward model&apos;s
        predicted win rate against the other versions on the same prompts ({rewardModelVersion === null ? "no reward model yet" : `reward model v${rewardModelVersion}; completions written after it trained have no score`}),
        and the share of completions the prompt&apos;s verifier accepts. A version is flagged when the reward model prefers it to its parent while
        humans or the verifier find it surely worse (95% intervals below zero, at least 10 paired items).
      </p>
      <table className="w-full text-left text-sm" data-testid="model-leaderboard">
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr><th className="py-1">#</th><th>Version</th><th>Elo</th><th>95% interval</th><th className="w-1/5" aria-label="interval plot" /><th>Comparisons</th><th>RM win rate</th><th>Verifier accuracy</th><th>Flag</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((r, i) => (
            <tr key={r.versionId} data-testid="model-leaderboard-row" className="align-top">
              <td className="py-1">{i + 1}</td>
              <td className="font-medium">{r.name}</td>
              <td className="tabular-nums">{r.human ? Math.round(r.human.elo) : "–"}</td>
              <td className="tabular-nums" data-testid="model-interval">{r.human ? `${Math.round(r.human.lower)} – ${Math.round(r.human.upper)}` : "–"}</td>
              <td>{r.human ? <IntervalBar row={r.human} lo={lo} hi={hi} /> : null}</td>
              <td className="tabular-nums">{r.human?.comparisons ?? 0}</td>
              <td className="tabular-nums" data-testid="rm-win-rate">{r.rm ? `${pct(r.rm.winRate)} (${r.rm.prompts} prompts)` : "–"}</td>
              <td className="tabular-nums" data-testid="verifier-accuracy">{r.verifier ? `${pct(r.verifier.accuracy)} (${r.verifier.correct}/${r.verifier.total})` : "–"}</td>
              <td data-testid="over-optimisation">
                {r.overOptimisation.flagged ? (
                  <details>
                    <summary className="cursor-pointer"><Badge tone="red">over-optimised?</Badge></summary>
                    <ul className="mt-1 list-disc pl-4 text-xs">{r.overOptimisation.reasons.map((why) => <li key={why}>{why}</li>)}</ul>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
