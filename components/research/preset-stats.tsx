import { Card } from "@/components/ui/card";
import type { LeaderboardRow, PresetDistribution } from "@/lib/research/view";

const n2 = (x: number) => x.toFixed(2);

/** Decoding presets ranked by human preference (Bradley–Terry Elo, 95% bootstrap interval). */
export function PresetLeaderboard({ rows }: { rows: LeaderboardRow[] }) {
  const lo = Math.min(...rows.map((r) => r.lower));
  const hi = Math.max(...rows.map((r) => r.upper));
  const x = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * 100 : 50);
  return (
    <Card title="Decoding presets: human preference leaderboard">
      {rows.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No comparisons between presets yet.</p> : (
        <table className="w-full text-left text-sm" data-testid="leaderboard">
          <thead className="text-xs text-slate-500 dark:text-slate-400">
            <tr><th className="py-1">#</th><th>Preset</th><th>Elo</th><th>95% interval</th><th className="w-1/3" aria-label="interval plot" /><th>Comparisons</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((r, i) => (
              <tr key={r.preset} data-testid="leaderboard-row">
                <td className="py-1">{i + 1}</td>
                <td className="font-medium">{r.preset}</td>
                <td className="tabular-nums">{Math.round(r.elo)}</td>
                <td className="tabular-nums" data-testid="interval">{Math.round(r.lower)} – {Math.round(r.upper)}</td>
                <td>
                  <div className="relative h-3 rounded bg-slate-100 dark:bg-slate-800">
                    <div className="absolute top-1 h-1 rounded bg-indigo-400" style={{ left: `${x(r.lower)}%`, width: `${Math.max(1, x(r.upper) - x(r.lower))}%` }} />
                    <div className="absolute top-0 h-3 w-0.5 bg-indigo-700 dark:bg-indigo-300" style={{ left: `${x(r.elo)}%` }} />
                  </div>
                </td>
                <td className="tabular-nums">{r.comparisons}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** Reward distribution per decoding preset: five-number summary with a box drawn on a shared axis. */
export function RewardDistribution({ rows }: { rows: PresetDistribution[] }) {
  const lo = Math.min(...rows.map((r) => r.min));
  const hi = Math.max(...rows.map((r) => r.max));
  const x = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * 100 : 50);
  return (
    <Card title="Reward by decoding preset">
      {rows.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No reward scores yet.</p> : (
        <table className="w-full text-left text-sm" data-testid="reward-distribution">
          <thead className="text-xs text-slate-500 dark:text-slate-400">
            <tr><th className="py-1">Preset</th><th>n</th><th>Median</th><th>Mean</th><th className="w-1/2">min · quartiles · max</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rows.map((r) => (
              <tr key={r.preset}>
                <td className="py-1 font-medium">{r.preset}</td>
                <td className="tabular-nums">{r.n}</td>
                <td className="tabular-nums">{n2(r.median)}</td>
                <td className="tabular-nums">{n2(r.mean)}</td>
                <td title={`${n2(r.min)} · ${n2(r.q1)} · ${n2(r.median)} · ${n2(r.q3)} · ${n2(r.max)}`}>
                  <div className="relative h-4">
                    <div className="absolute top-2 h-px bg-slate-400" style={{ left: `${x(r.min)}%`, width: `${x(r.max) - x(r.min)}%` }} />
                    <div className="absolute top-0.5 h-3 rounded-sm bg-amber-300/70 ring-1 ring-amber-600 dark:bg-amber-500/40" style={{ left: `${x(r.q1)}%`, width: `${Math.max(0.5, x(r.q3) - x(r.q1))}%` }} />
                    <div className="absolute top-0 h-4 w-0.5 bg-amber-800 dark:bg-amber-200" style={{ left: `${x(r.median)}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
