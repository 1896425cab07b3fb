import { describe, expect, it } from "vitest";
import { demoPrompts } from "@/db/seed-data";
import { verdictFor } from "@/lib/tasks/verdict";

describe("verdictFor", () => {
  it("judges the demo prompts' reference answers correct and a wrong answer incorrect", () => {
    const prompts = demoPrompts();
    expect(new Set(prompts.map((p) => p.metadata?.family)).size).toBeGreaterThanOrEqual(8);
    for (const p of prompts) {
      const prompt = { verifierId: p.verifierId ?? null, metadata: p.metadata ?? null };
      expect(verdictFor(prompt, String(p.metadata?.reference))?.correct, p.text).toBe(true);
      expect(verdictFor(prompt, "zzz qqq")?.correct, p.text).toBe(false);
    }
  });

  it("has no verdict for prompts without a verifier", () => {
    expect(verdictFor({ verifierId: null, metadata: null }, "anything")).toBeNull();
    expect(verdictFor({ verifierId: "no-such-verifier", metadata: { verifier: {} } }, "x")).toBeNull();
  });
});
