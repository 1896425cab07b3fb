import { describe, expect, it } from "vitest";
import { buildVersionsView, type VersionsInput } from "@/lib/research/versions";
import { familyByName, generateCorpus } from "@/lib/tasks";

const at = new Date("2026-12-01T00:00:00Z");
const version = (over: Partial<VersionsInput["versions"][number]> & { id: string; name: string }): VersionsInput["versions"][number] => ({
  kind: "trained", parentId: null, method: null, source: null, files: null, card: null, createdAt: at, ...over,
});

function input(over: Partial<VersionsInput> = {}): VersionsInput {
  return {
    project: { modelId: "models/demo", completionSource: null, completionSlots: null, decodingPresets: [{ name: "greedy", config: {} }, { name: "hot", config: {} }], completionsPerPrompt: 3 },
    versions: [
      version({ id: "b", name: "base", kind: "base" }),
      version({ id: "d", name: "dpo-1", parentId: "b", method: "dpo", files: { "hf/config.json": 100, "hf/model.safetensors": 900, "model.gguf": 1200 } }),
      version({ id: "e", name: "api", kind: "endpoint", source: { type: "openai", baseUrl: "https://api.example.com", model: "llama" } }),
    ],
    prompts: [],
    completions: [],
    rankings: [],
    rewardModel: null,
    scores: null,
    ...over,
  };
}

describe("the versions view", () => {
  it("describes each version and spells out the default slots", () => {
    const view = buildVersionsView(input());
    expect(view.versions.map((v) => [v.name, v.origin, v.parentName, v.sizes])).toEqual([
      ["base", "the project's model: models/demo", null, null],
      ["dpo-1", "trained here by dpo", "base", { hf: 1000, gguf: 1200 }],
      ["api", "OpenAI-compatible endpoint llama at https://api.example.com", null, null],
    ]);
    expect(view.slots).toEqual([{ versionId: "b", preset: "greedy" }, { versionId: "b", preset: "hot" }, { versionId: "b", preset: "greedy" }]);
    expect(view.customSlots).toBe(false);
    expect(view.presets).toEqual(["greedy", "hot"]);
    const custom = [{ versionId: "d", preset: "hot" }, { versionId: "b", preset: "hot" }];
    expect(buildVersionsView(input({ project: { ...input().project, completionSlots: custom } }))).toMatchObject({ slots: custom, customSlots: true });
  });

  it("judges each version's completions with its prompt's verifier for the leaderboard", () => {
    const family = familyByName("arithmetic");
    const items = generateCorpus(5, 4, [family]);
    const prompts = items.map((it, i) => ({ id: `p${i}`, verifierId: it.verifierId, metadata: { verifier: it.meta } }));
    const completions = items.flatMap((it, i) => [
      { id: `b${i}`, promptId: `p${i}`, versionId: "b", text: it.response },
      { id: `d${i}`, promptId: `p${i}`, versionId: "d", text: i === 0 ? it.response : family.nearMiss(it.meta) },
    ]);
    const view = buildVersionsView(input({ prompts: [...prompts, { id: "free", verifierId: null, metadata: null }], completions: [...completions, { id: "x", promptId: "free", versionId: "d", text: "anything" }] }));
    const row = (name: string) => view.leaderboard.find((r) => r.name === name)!;
    expect(row("base").verifier).toEqual({ accuracy: 1, correct: 4, total: 4 });
    expect(row("dpo-1").verifier).toEqual({ accuracy: 0.25, correct: 1, total: 4 });
    expect(row("dpo-1").completions).toBe(5);
    expect(row("api").verifier).toBeNull();
  });
});
