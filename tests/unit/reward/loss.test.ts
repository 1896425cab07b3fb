import { describe, expect, it } from "vitest";
import { bradleyTerryLoss, groupLoss, sigmoid, softplus, type IndexedPairs } from "@/lib/reward/loss";

const pairsOf = (chosen: number[], rejected: number[], margins?: number[]): IndexedPairs => ({
  chosen: Int32Array.from(chosen),
  rejected: Int32Array.from(rejected),
  margins: Float64Array.from(margins ?? chosen.map(() => 0)),
});

describe("softplus and sigmoid", () => {
  it("stay finite and exact at extreme inputs", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 12);
    expect(softplus(-40)).toBeGreaterThan(0); // log1p keeps the tiny tail instead of rounding to 0
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 14);
  });
});

describe("bradleyTerryLoss", () => {
  it("equals -log σ(r_c - r_r - margin)", () => {
    const { loss } = bradleyTerryLoss(1.5, 0.25, 0.5);
    expect(loss).toBeCloseTo(-Math.log(1 / (1 + Math.exp(-0.75))), 12);
  });

  it("has gradients matching central finite differences", () => {
    const h = 1e-6;
    for (const [rc, rr, m] of [[0.3, -1.2, 0], [-2, 3, 1], [40, -40, 0]]) {
      const g = bradleyTerryLoss(rc, rr, m);
      const numC = (bradleyTerryLoss(rc + h, rr, m).loss - bradleyTerryLoss(rc - h, rr, m).loss) / (2 * h);
      const numR = (bradleyTerryLoss(rc, rr + h, m).loss - bradleyTerryLoss(rc, rr - h, m).loss) / (2 * h);
      expect(g.dChosen).toBeCloseTo(numC, 6);
      expect(g.dRejected).toBeCloseTo(numR, 6);
    }
  });

  it("does not overflow when the wrong completion is far ahead", () => {
    const { loss, dChosen } = bradleyTerryLoss(-500, 500);
    expect(loss).toBe(1000);
    expect(dChosen).toBe(-1);
  });
});

describe("groupLoss", () => {
  it("is the mean over the group's pairs, reusing each completion's reward", () => {
    const rewards = [1, 0, -1];
    const pairs = pairsOf([0, 0, 1], [1, 2, 2]);
    const expected = (softplus(-1) + softplus(-2) + softplus(-1)) / 3;
    expect(groupLoss(rewards, pairs)).toBeCloseTo(expected, 12);
  });

  it("accumulates dLoss/dr matching finite differences, with margin and centering", () => {
    const pairs = pairsOf([0, 2, 1], [1, 0, 3], [0.5, 0, 1]);
    const rewards = [0.2, -0.7, 1.1, 0.4];
    const d = new Float64Array(4);
    groupLoss(rewards, pairs, d, 0.1, 0.5);
    const h = 1e-6;
    for (let i = 0; i < 4; i++) {
      const up = [...rewards];
      const down = [...rewards];
      up[i] += h;
      down[i] -= h;
      const num = (0.5 * (groupLoss(up, pairs, undefined, 0.1) - groupLoss(down, pairs, undefined, 0.1))) / (2 * h);
      expect(d[i]).toBeCloseTo(num, 6);
    }
  });

  it("adds centering·mean((r_c + r_r)²) when centering is on", () => {
    const pairs = pairsOf([0], [1]);
    const base = groupLoss([3, 1], pairs);
    expect(groupLoss([3, 1], pairs, undefined, 0.01)).toBeCloseTo(base + 0.01 * 16, 12);
  });
});
