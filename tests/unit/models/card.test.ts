import { describe, expect, it } from "vitest";
import { modelCardMarkdown, pairsSha256, trainingCardSchema } from "@/lib/models/card";
import { versionNameSchema } from "@/lib/models/names";

const pairs = [
  { promptId: "p1", chosenId: "a", rejectedId: "b", annotatorId: "u1" },
  { promptId: "p1", chosenId: "a", rejectedId: "c" },
];

describe("model cards", () => {
  it("digests pairs by identity and order, not by their text", () => {
    const digest = pairsSha256(pairs);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(pairsSha256(pairs.map((p) => ({ ...p, chosen: "other text" })))).toBe(digest);
    expect(pairsSha256([...pairs].reverse())).not.toBe(digest);
    expect(pairsSha256([pairs[0], { ...pairs[1], annotatorId: "u2" }])).not.toBe(digest);
  });

  it("writes a Hub model card with front matter, parent, data snapshot, hyper-parameters and metrics", () => {
    const md = modelCardMarkdown({
      name: "dpo-1", method: "dpo", parent: { id: "x", name: "base" }, createdAt: "2026-12-01T00:00:00.000Z",
      data: { exportOptions: { mode: "raw", split: "train" }, pairs: 2, pairsSha256: pairsSha256(pairs) },
      hyperParameters: { beta: 0.1 }, metrics: { "val|loss": 0.5 },
    });
    expect(md.startsWith("---\nlibrary_name: transformers\ntags:\n  - rlhf-studio\n  - dpo\n---\n\n# dpo-1\n")).toBe(true);
    expect(md).toContain('Made with dpo from version "base"');
    expect(md).toContain(`2 preference pairs, sha256 \`${pairsSha256(pairs)}\``);
    expect(md).toContain('"split": "train"');
    expect(md).toContain("| beta | 0.1 |");
    expect(md).toContain("| val\\|loss | 0.5 |");
  });

  it("checks what a job hands over: a real sha256, whole pair counts", () => {
    const ok = { data: { exportOptions: {}, pairs: 3, pairsSha256: "a".repeat(64) }, hyperParameters: {}, metrics: {} };
    expect(trainingCardSchema.safeParse(ok).success).toBe(true);
    expect(trainingCardSchema.safeParse({ ...ok, data: { ...ok.data, pairsSha256: "A".repeat(64) } }).success).toBe(false);
    expect(trainingCardSchema.safeParse({ ...ok, data: { ...ok.data, pairs: 1.5 } }).success).toBe(false);
    expect(trainingCardSchema.safeParse({ ...ok, data: null }).success).toBe(true);
  });

  it("takes file-safe version names and keeps 'base' for the project's own model", () => {
    for (const good of ["dpo-1", "grpo_2026.12", "A"]) expect(versionNameSchema.safeParse(good).success).toBe(true);
    for (const bad of ["", "-x", "a/b", "a b", "x".repeat(65), "base", "BASE", "../up"]) expect(versionNameSchema.safeParse(bad).success).toBe(false);
  });
});
