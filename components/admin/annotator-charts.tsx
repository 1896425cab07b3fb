"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnnotatorProfile } from "@/lib/stats/annotator-profile";

// Mid-tone colours stay readable on white and on slate-900; axis text inherits the card's text colour.
const COLORS = { observed: "#6366f1", chance: "#f59e0b", grid: "#94a3b833" };
const tick = { fill: "currentColor", fontSize: 12 };
const tooltipStyle = { contentStyle: { background: "var(--color-slate-800, #1e293b)", border: "none", color: "#f1f5f9" } };

function Chart({ title, testId, children }: { title: string; testId: string; children: React.ReactElement }) {
  return (
    <figure className="text-slate-600 dark:text-slate-300" data-testid={testId}>
      <figcaption className="mb-2 text-sm font-medium text-slate-900 dark:text-slate-100">{title}</figcaption>
      <div className="h-56 w-full"><ResponsiveContainer width="100%" height="100%">{children}</ResponsiveContainer></div>
    </figure>
  );
}

const seconds = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : `${ms / 60_000} min`);
const bucketLabel = (b: { fromMs: number; toMs: number | null }) => (b.toMs === null ? `≥ ${seconds(b.fromMs)}` : `< ${seconds(b.toMs)}`);
const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String(i + 1));
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** Rankings over time, time spent, and position/length bias against chance. */
export function AnnotatorCharts({ profile }: { profile: AnnotatorProfile }) {
  const b = profile.bias;
  const bias = [
    { name: "First shown wins", observed: pct(b.firstShownWins.rate), chance: pct(b.firstShownWins.expected) },
    { name: "Earlier shown wins a pair", observed: pct(b.earlierShownPairwise.rate), chance: pct(b.earlierShownPairwise.expected) },
    { name: "Longest wins", observed: pct(b.longestWins.rate), chance: pct(b.longestWins.expected) },
    { name: "Longer wins a pair", observed: pct(b.longerPairwise.rate), chance: pct(b.longerPairwise.expected) },
  ];
  return (
    <div className="grid gap-6 md:grid-cols-2" data-testid="annotator-charts">
      <Chart title="Rankings per day (UTC)" testId="chart-per-day">
        <BarChart data={profile.perDay}>
          <CartesianGrid stroke={COLORS.grid} />
          <XAxis dataKey="day" tick={tick} />
          <YAxis tick={tick} width={40} allowDecimals={false} />
          <Tooltip {...tooltipStyle} />
          <Bar dataKey="rankings" fill={COLORS.observed} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Chart title="Time spent per ranking" testId="chart-time">
        <BarChart data={profile.timeHistogram.map((x) => ({ bucket: bucketLabel(x), rankings: x.rankings }))}>
          <CartesianGrid stroke={COLORS.grid} />
          <XAxis dataKey="bucket" tick={tick} />
          <YAxis tick={tick} width={40} allowDecimals={false} />
          <Tooltip {...tooltipStyle} />
          <Bar dataKey="rankings" fill={COLORS.observed} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Chart title="Ranked best, by shown position (%)" testId="chart-position">
        <BarChart data={profile.positionWins.map((p) => ({ position: `Response ${letter(p.position)}`, observed: pct(p.rate), chance: pct(p.expected) }))}>
          <CartesianGrid stroke={COLORS.grid} />
          <XAxis dataKey="position" tick={tick} />
          <YAxis tick={tick} width={40} domain={[0, 100]} />
          <Tooltip {...tooltipStyle} />
          <Legend />
          <Bar dataKey="observed" name="this annotator" fill={COLORS.observed} isAnimationActive={false} />
          <Bar dataKey="chance" name="by chance" fill={COLORS.chance} isAnimationActive={false} />
        </BarChart>
      </Chart>
      <Chart title="Position and length bias (%)" testId="chart-bias">
        <BarChart data={bias}>
          <CartesianGrid stroke={COLORS.grid} />
          <XAxis dataKey="name" tick={tick} />
          <YAxis tick={tick} width={40} domain={[0, 100]} />
          <Tooltip {...tooltipStyle} />
          <Legend />
          <Bar dataKey="observed" name="this annotator" fill={COLORS.observed} isAnimationActive={false} />
          <Bar dataKey="chance" name="by chance" fill={COLORS.chance} isAnimationActive={false} />
        </BarChart>
      </Chart>
    </div>
  );
}
