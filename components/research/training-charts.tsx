"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "@/components/ui/card";
import type { EpochPoint } from "./use-research";

type CalibrationBin = { lo: number; hi: number; n: number; meanPredicted: number | null; observed: number | null };

// Mid-tone colours stay readable on white and on slate-900; axis text inherits the card's text colour.
const COLORS = { a: "#6366f1", b: "#f59e0b", grid: "#94a3b833" };
const tick = { fill: "currentColor", fontSize: 12 };
const tooltipStyle = { contentStyle: { background: "var(--color-slate-800, #1e293b)", border: "none", color: "#f1f5f9" } };

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="text-slate-600 dark:text-slate-300">
      <figcaption className="mb-2 text-sm font-medium text-slate-900 dark:text-slate-100">{title}</figcaption>
      <div className="h-56 w-full"><ResponsiveContainer width="100%" height="100%">{children}</ResponsiveContainer></div>
    </figure>
  );
}

/** Loss and accuracy per epoch (live while training), and the held-out calibration of P(chosen ≻ rejected). */
export function TrainingCharts({ history, calibration, testAccuracy }: { history: EpochPoint[]; calibration: CalibrationBin[]; testAccuracy: number | null }) {
  const cal = calibration.filter((b) => b.meanPredicted !== null && b.observed !== null).map((b) => ({ predicted: b.meanPredicted, observed: b.observed }));
  return (
    <Card title="Training" actions={testAccuracy === null ? null : <span className="text-sm" data-testid="test-accuracy">held-out accuracy {(testAccuracy * 100).toFixed(1)}%</span>}>
      {history.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No training run yet.</p> : (
        <div className="grid gap-6 md:grid-cols-3" data-testid="training-charts">
          <Chart title="Loss">
            <LineChart data={history}>
              <CartesianGrid stroke={COLORS.grid} />
              <XAxis dataKey="epoch" tick={tick} />
              <YAxis tick={tick} width={48} />
              <Tooltip {...tooltipStyle} />
              <Legend />
              <Line type="monotone" dataKey="trainLoss" name="train" stroke={COLORS.a} dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="valLoss" name="validation" stroke={COLORS.b} dot={false} isAnimationActive={false} />
            </LineChart>
          </Chart>
          <Chart title="Validation accuracy">
            <LineChart data={history}>
              <CartesianGrid stroke={COLORS.grid} />
              <XAxis dataKey="epoch" tick={tick} />
              <YAxis tick={tick} width={48} domain={[0, 1]} />
              <Tooltip {...tooltipStyle} />
              <Line type="monotone" dataKey="valAccuracy" name="accuracy" stroke={COLORS.a} dot={false} isAnimationActive={false} />
            </LineChart>
          </Chart>
          <Chart title="Calibration (held out)">
            <LineChart data={cal}>
              <CartesianGrid stroke={COLORS.grid} />
              <XAxis dataKey="predicted" type="number" domain={[0, 1]} tick={tick} name="predicted" />
              <YAxis tick={tick} width={48} domain={[0, 1]} />
              <Tooltip {...tooltipStyle} />
              <Legend />
              <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#94a3b8" strokeDasharray="4 4" ifOverflow="extendDomain" />
              <Line dataKey="observed" name="observed" stroke={COLORS.b} isAnimationActive={false} />
            </LineChart>
          </Chart>
        </div>
      )}
    </Card>
  );
}
