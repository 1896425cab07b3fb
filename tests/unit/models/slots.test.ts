import { describe, expect, it } from "vitest";
import { completionSlotsSchema, defaultSlots, generationPasses, slotNeeds, slotsProblem } from "@/lib/models/slots";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

describe("completion slots", () => {
  it("counts each version's slots per preset, in order of first appearance", () => {
    const needs = slotNeeds([{ versionId: A, preset: "g" }, { versionId: B, preset: "h" }, { versionId: A, preset: "g" }, { versionId: A, preset: "h" }]);
    expect([...needs.keys()]).toEqual([A, B]);
    expect([...needs.get(A)!]).toEqual([["g", 2], ["h", 1]]);
    expect([...needs.get(B)!]).toEqual([["h", 1]]);
  });

  it("plans one pass per version, or one 'prompts without completions' pass of base without a slot setting", () => {
    expect(generationPasses(null, A)).toEqual([{ versionId: A, need: null }]);
    const passes = generationPasses([{ versionId: B, preset: "g" }, { versionId: A, preset: "g" }], A);
    expect(passes.map((p) => [p.versionId, [...p.need!]])).toEqual([[B, [["g", 1]]], [A, [["g", 1]]]]);
  });

  it("spells out the default: K slots of base with preset i mod P", () => {
    expect(defaultSlots(A, ["g", "h"], 3)).toEqual([{ versionId: A, preset: "g" }, { versionId: A, preset: "h" }, { versionId: A, preset: "g" }]);
  });

  it("names a slot with a version or preset the project lacks", () => {
    expect(slotsProblem([{ versionId: A, preset: "g" }], new Set([A]), ["g"])).toBeNull();
    expect(slotsProblem([{ versionId: A, preset: "g" }, { versionId: B, preset: "g" }], new Set([A]), ["g"])).toBe(`slots[1]: the project has no model version ${B}`);
    expect(slotsProblem([{ versionId: A, preset: "x" }], new Set([A]), ["g", "h"])).toBe('slots[0]: the project has no decoding preset "x" (it has "g", "h")');
  });

  it("takes 2 to 9 slots with a version id and a preset name, nothing else", () => {
    const slot = { versionId: A, preset: "g" };
    expect(completionSlotsSchema.safeParse([slot]).success).toBe(false);
    expect(completionSlotsSchema.safeParse(Array(10).fill(slot)).success).toBe(false);
    expect(completionSlotsSchema.safeParse([slot, { ...slot, model: "leak" }]).success).toBe(false);
    expect(completionSlotsSchema.safeParse([slot, { versionId: "x", preset: "g" }]).success).toBe(false);
    expect(completionSlotsSchema.parse([slot, slot])).toHaveLength(2);
  });
});
