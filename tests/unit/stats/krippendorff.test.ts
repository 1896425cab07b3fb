import { describe, expect, it } from "vitest";
import { krippendorffAlpha, reliabilityDataFromRankings } from "@/lib/stats/krippendorff";

const _ = null;
// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers × 12 units, "." = missing.
const reliabilityData = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];

describe("krippendorffAlpha", () => {
  it("matches the published nominal value 0.743 on Krippendorff's 2011 example", () => {
    expect(krippendorffAlpha(reliabilityData, "nominal")).toBeCloseTo(0.743, 3);
  });

  it("matches the published ordinal value 0.815", () => {
    expect(krippendorffAlpha(reliabilityData, "ordinal")).toBeCloseTo(0.815, 3);
  });

  it("matches the published interval value 0.849", () => {
    expect(krippendorffAlpha(reliabilityData, "interval")).toBeCloseTo(0.849, 3);
  });

  it("gives the unrounded values behind the paper's three decimals", () => {
    // nominal is exactly 113/152 = 0.7434210526…
    expect(krippendorffAlpha(reliabilityData, "nominal")).toBeCloseTo(0.7434210526, 9);
    expect(krippendorffAlpha(reliabilityData, "interval")).toBeCloseTo(0.8491071429, 9);
  });

  it("ignores units coded only once (unit 12 carries no agreement information)", () => {
    const without12 = reliabilityData.map((row) => row.slice(0, 11));
    expect(krippendorffAlpha(without12, "ordinal")).toBe(krippendorffAlpha(reliabilityData, "ordinal"));
  });

  it("is 1 for perfect agreement and null when every value is the same", () => {
    expect(krippendorffAlpha([[1, 2, 3], [1, 2, 3]], "interval")).toBe(1);
    expect(krippendorffAlpha([[2, 2], [2, 2]], "nominal")).toBeNull();
    expect(krippendorffAlpha([[1, _], [_, 2]], "nominal")).toBeNull();
  });

  it("rejects non-finite values and unknown levels", () => {
    expect(() => krippendorffAlpha([[1, Number.NaN], [1, 2]], "nominal")).toThrow(/finite number, got NaN/);
    expect(() => krippendorffAlpha([[1, 2], [1, 2]], "ratio" as never)).toThrow(/got ratio/);
  });
});

describe("reliabilityDataFromRankings", () => {
  it("lays rankings out as annotators × (prompt, completion) units with null where not ranked", () => {
    const data = reliabilityDataFromRankings([
      { annotatorId: "u2", promptId: "p1", ranks: { a: 2, b: 1 } },
      { annotatorId: "u1", promptId: "p1", ranks: { a: 1, b: 2 } },
      { annotatorId: "u1", promptId: "p2", ranks: { c: 1 } },
    ]);
    // Units sorted: [p1,a], [p1,b], [p2,c]; rows sorted: u1, u2.
    expect(data).toEqual([
      [1, 2, 1],
      [2, 1, null],
    ]);
    expect(krippendorffAlpha(data, "ordinal")).toBeLessThan(0);
  });
});
