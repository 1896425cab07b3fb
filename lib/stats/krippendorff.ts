import type { Ranking } from "@/lib/stats/types";

export type MeasurementLevel = "nominal" | "ordinal" | "interval";

/** A coder's value for a unit, or null/undefined when the coder did not code it. */
export type ReliabilityValue = number | null | undefined;

/**
 * Krippendorff's alpha for reliability data `data[coder][unit]` with missing
 * values, following Krippendorff (2011), "Computing Krippendorff's
 * Alpha-Reliability": build the coincidence matrix o_ck from every pairable
 * unit (≥ 2 values), then alpha = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
 *
 * Returns null when alpha is undefined (no pairable values, or every value is
 * the same so expected disagreement is zero).
 */
export function krippendorffAlpha(
  data: readonly (readonly ReliabilityValue[])[],
  level: MeasurementLevel,
): number | null {
  const units = unitValues(data);
  const values = [...new Set(units.flat())].sort((p, q) => p - q);
  const index = new Map(values.map((v, i) => [v, i] as const));
  const V = values.length;
  // o (V,V): coincidences; each unit with m values adds 1/(m−1) per ordered pair of its values.
  const o = Array.from({ length: V }, () => new Float64Array(V));
  for (const u of units) {
    const m = u.length;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i !== j) o[index.get(u[i]!)!]![index.get(u[j]!)!]! += 1 / (m - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  if (n <= 1) return null;
  const delta2 = differenceFunction(level, values, nc);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta2(c, k);
      observed += o[c]![k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/** Values of each pairable unit; units coded fewer than twice carry no agreement information. */
function unitValues(data: readonly (readonly ReliabilityValue[])[]): number[][] {
  const nUnits = Math.max(0, ...data.map((row) => row.length));
  const units: number[][] = [];
  for (let u = 0; u < nUnits; u++) {
    const vals: number[] = [];
    for (const row of data) {
      const v = row[u];
      if (v === null || v === undefined) continue;
      if (!Number.isFinite(v)) throw new RangeError(`value at unit ${u} must be a finite number, got ${v}`);
      vals.push(v);
    }
    if (vals.length >= 2) units.push(vals);
  }
  return units;
}

/** δ²(c, k) between value indices, per level of measurement. */
function differenceFunction(
  level: MeasurementLevel,
  values: readonly number[],
  nc: readonly number[],
): (c: number, k: number) => number {
  switch (level) {
    case "nominal":
      return (c, k) => (c === k ? 0 : 1);
    case "interval":
      return (c, k) => (values[c]! - values[k]!) ** 2;
    case "ordinal": {
      // Ranks are spaced by how many pairable values fall between them, not by the codes themselves.
      const cumulative = [0];
      for (const x of nc) cumulative.push(cumulative[cumulative.length - 1]! + x);
      return (c, k) => {
        const lo = Math.min(c, k);
        const hi = Math.max(c, k);
        const between = cumulative[hi + 1]! - cumulative[lo]!;
        return (between - (nc[lo]! + nc[hi]!) / 2) ** 2;
      };
    }
    default:
      throw new RangeError(`level must be nominal, ordinal or interval, got ${String(level)}`);
  }
}

/**
 * Rankings as reliability data for {@link krippendorffAlpha}: one row per
 * annotator, one unit per (prompt, completion), the rank as the value (use
 * level "ordinal"). Rows and units are sorted so the matrix is reproducible.
 */
export function reliabilityDataFromRankings(rankings: Iterable<Ranking>): (number | null)[][] {
  const cells = new Map<string, Map<string, number>>(); // annotator → unit → rank
  const units = new Set<string>();
  for (const r of rankings) {
    const row = cells.get(r.annotatorId) ?? new Map<string, number>();
    cells.set(r.annotatorId, row);
    for (const [id, rank] of Object.entries(r.ranks)) {
      // JSON of the tuple keeps ids containing any separator distinct.
      const unit = JSON.stringify([r.promptId, id]);
      units.add(unit);
      row.set(unit, rank);
    }
  }
  const unitList = [...units].sort();
  return [...cells.keys()].sort().map((a) => unitList.map((u) => cells.get(a)!.get(u) ?? null));
}
