import { describe, expect, it } from "vitest";
import { planCompletions, resolveSlots, seedFor, type DecodingPreset } from "@/lib/generation/presets";

const presets: DecodingPreset[] = [
  { name: "greedy", config: { temperature: 0, max_new_tokens: 8 } },
  { name: "hot", config: { temperature: 1.2, top_k: 20, max_new_tokens: 8 } },
];
const BASE = "00000000-0000-4000-8000-00000000000b";
const DPO = "00000000-0000-4000-8000-00000000000d";

describe("completion slot planning", () => {
  it("plans K completions of the base version with preset i mod P and seed seedFor(prompt, i) when the project has no slot setting", () => {
    const slots = resolveSlots(null, { baseId: BASE, presets, k: 3 });
    const plan = planCompletions("p1", slots, BASE, []);
    expect(plan.map((p) => [p.slot, p.presetName, p.config.seed, p.config.temperature])).toEqual([
      [0, "greedy", seedFor("p1", 0), 0],
      [1, "hot", seedFor("p1", 1), 1.2],
      [2, "greedy", seedFor("p1", 2), 0],
    ]);
    expect(plan[1].config.topK).toBe(20);
  });

  it("keeps a duplicate-named preset's own config in the default slots, as before slots existed", () => {
    const twins: DecodingPreset[] = [{ name: "t", config: { temperature: 0.5 } }, { name: "t", config: { temperature: 0.9 } }];
    const plan = planCompletions("p", resolveSlots(null, { baseId: BASE, presets: twins, k: 2 }), BASE, []);
    expect(plan.map((p) => p.config.temperature)).toEqual([0.5, 0.9]);
  });

  it("plans only the new version's slots once the base version's completions exist", () => {
    const slots = resolveSlots(
      [{ versionId: BASE, preset: "greedy" }, { versionId: BASE, preset: "hot" }, { versionId: DPO, preset: "greedy" }, { versionId: DPO, preset: "hot" }],
      { baseId: BASE, presets, k: 4 },
    );
    const baseDone = [{ presetName: "greedy", seed: seedFor("p", 0) }, { presetName: "hot", seed: seedFor("p", 1) }];
    expect(planCompletions("p", slots, BASE, baseDone)).toEqual([]);
    const dpo = planCompletions("p", slots, DPO, []);
    expect(dpo.map((p) => [p.slot, p.versionId, p.presetName, p.config.seed])).toEqual([
      [2, DPO, "greedy", seedFor("p", 2)],
      [3, DPO, "hot", seedFor("p", 3)],
    ]);
  });

  it("fills the one slot still open after a crash, with that slot's own seed", () => {
    const slots = resolveSlots([{ versionId: DPO, preset: "hot" }, { versionId: DPO, preset: "hot" }, { versionId: DPO, preset: "hot" }], { baseId: BASE, presets, k: 3 });
    const plan = planCompletions("p", slots, DPO, [{ presetName: "hot", seed: seedFor("p", 0) }, { presetName: "hot", seed: seedFor("p", 2) }]);
    expect(plan.map((p) => [p.slot, p.config.seed])).toEqual([[1, seedFor("p", 1)]]);
  });

  it("counts a completion whose slot moved as filling a slot of its preset, so reordering the slots samples nothing again", () => {
    const before = [{ presetName: "greedy", seed: seedFor("p", 0) }, { presetName: "hot", seed: seedFor("p", 1) }];
    const moved = resolveSlots([{ versionId: DPO, preset: "greedy" }, { versionId: BASE, preset: "hot" }, { versionId: BASE, preset: "greedy" }], { baseId: BASE, presets, k: 3 });
    expect(planCompletions("p", moved, BASE, before)).toEqual([]);
    // One more "hot" slot than completions of it: one new completion, never with a seed already used by that preset.
    const more = resolveSlots([{ versionId: BASE, preset: "hot" }, { versionId: BASE, preset: "hot" }, { versionId: BASE, preset: "greedy" }], { baseId: BASE, presets, k: 3 });
    const plan = planCompletions("p", more, BASE, before);
    expect(plan).toHaveLength(1);
    expect(plan[0].presetName).toBe("hot");
    expect(plan[0].config.seed).not.toBe(seedFor("p", 1));
  });

  it("names the slot whose preset the project does not have", () => {
    expect(() => resolveSlots([{ versionId: BASE, preset: "greedy" }, { versionId: DPO, preset: "warm" }], { baseId: BASE, presets, k: 2 })).toThrow(
      'completion slot 2 names the decoding preset "warm", which the project does not have',
    );
  });
});
