"use client";

import Link from "next/link";
import { Card } from "@/components/ui/card";
import { useProjectReliability } from "./use-project-reliability";
import { useProjectStats } from "./use-project-stats";

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? "—" : x.toFixed(digits));
const secs = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);

function Figure({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="rounded-md bg-slate-50 p-3 dark:bg-slate-800/60">
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-xl font-semibold" data-testid={testId}>{value}</dd>
    </div>
  );
}

export function StatsPanel({ projectId }: { projectId: string }) {
  const { data, error } = useProjectStats(projectId);
  const reliability = useProjectReliability(projectId).data?.reliability;
  // η means something only once an annotator stated a strict preference.
  const etaOf = (userId: string) => (reliability?.[userId]?.judgements ? reliability[userId]!.eta : null);
  if (error) return <Card title="Progress"><p role="alert" className="text-sm text-red-700">{error.message}</p></Card>;
  if (!data) return <Card title="Progress"><p className="text-sm">Loading…</p></Card>;
  const s = data.stats;
  return (
    <Card title="Progress and quality">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Prompts done" value={`${s.prompts.done} / ${s.prompts.total}`} testId="prompts-done" />
        <Figure label="In progress" value={s.prompts.inProgress} />
        <Figure label="Waiting" value={s.prompts.waiting} />
        <Figure label="Rankings" value={s.rankings} testId="rankings-count" />
        <Figure label="Pairwise agreement" value={pct(s.agreement.pairwise)} testId="agreement" />
        <Figure label="Krippendorff's α (ordinal)" value={num(s.agreement.krippendorffAlpha)} />
        <Figure label="Median time per ranking" value={secs(s.medianTimeMs)} />
        <Figure label="Skip rate" value={pct(s.skipRate)} />
      </dl>
      <h3 className="mt-6 text-sm font-semibold">Annotators</h3>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="annotator-table">
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr><th className="py-1">Name</th><th>Rankings</th><th>Skips</th><th>Median time</th><th>Agreement</th><th>τ to consensus</th><th>Gold accuracy</th><th title="CrowdBT η: 1 = always agrees with the consensus, gold and verifiers, 0.5 = coin flip">Reliability</th></tr>
          </thead>
          <tbody>
            {s.annotators.map((a) => (
              <tr key={a.userId} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-1"><Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/admin/projects/${projectId}/annotators/${a.userId}`}>{a.name}</Link></td>
                <td>{a.rankings}</td><td>{a.skips}</td><td>{secs(a.medianTimeMs)}</td>
                <td>{pct(a.pairwiseAgreement)}</td><td>{num(a.tauToConsensus)}</td><td>{pct(a.goldAccuracy)}</td><td data-testid="reliability">{num(etaOf(a.userId))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-4 text-xs text-slate-600 dark:text-slate-400">
        Bias check: the first-shown completion wins {pct(s.bias.firstShownWins.rate)} (chance {pct(s.bias.firstShownWins.expected)}); the longest wins {pct(s.bias.longestWins.rate)} (chance {pct(s.bias.longestWins.expected)}).
      </p>
    </Card>
  );
}
