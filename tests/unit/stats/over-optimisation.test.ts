import { describe, expect, it } from "vitest";
import { MIN_EVIDENCE, overOptimisation, type ParentEvidence } from "@/lib/stats/over-optimisation";

const worse = { diff: -60, lower: -110, upper: -12, n: 40 };
const unclear = { diff: -20, lower: -70, upper: 15, n: 40 };
const evidence = (over: Partial<ParentEvidence>): ParentEvidence => ({ rmWinRate: 0.7, human: unclear, verifier: null, ...over });

describe("the over-optimisation rule", () => {
  it("flags a version the reward model prefers to its parent while humans rank it surely lower", () => {
    const out = overOptimisation(evidence({ human: worse }));
    expect(out.flagged).toBe(true);
    expect(out.reasons).toEqual([
      "the reward model prefers it to its parent (predicted win rate 70.0%)",
      "humans rank it below its parent (Elo -60, 95% interval -110 to -12, 40 direct comparisons)",
    ]);
  });

  it("flags it when the verifier says it got less accurate, whatever humans say", () => {
    const out = overOptimisation(evidence({ verifier: { diff: -0.25, lower: -0.4, upper: -0.1, n: 30 } }));
    expect(out.flagged).toBe(true);
    expect(out.reasons[1]).toBe("the verifier finds it less accurate than its parent (-25.0 points, 95% interval -40.0 to -10.0, 30 prompts)");
  });

  it("does not flag when the reward model does not prefer it, even if humans and the verifier say it is worse", () => {
    for (const rmWinRate of [0.5, 0.3, null]) expect(overOptimisation(evidence({ rmWinRate, human: worse, verifier: worse })).flagged).toBe(false);
  });

  it("does not flag a drop whose interval reaches 0, or one seen on fewer than the minimum of paired items", () => {
    expect(overOptimisation(evidence({ human: { ...worse, upper: 0 } })).flagged).toBe(false);
    expect(overOptimisation(evidence({ human: unclear, verifier: unclear })).flagged).toBe(false);
    expect(overOptimisation(evidence({ human: { ...worse, n: MIN_EVIDENCE - 1 } })).flagged).toBe(false);
    expect(overOptimisation(evidence({ human: { ...worse, n: MIN_EVIDENCE } })).flagged).toBe(true);
    expect(overOptimisation(evidence({ human: { ...worse, n: 3 } }), 3).flagged).toBe(true);
  });
});
