import { describe, expect, it } from "vitest";
import { bestResponse, sftFormat, writeSft } from "@/lib/datasets/formats/sft";
import { exportRankings } from "@/lib/datasets/pipeline";
import type { PromptGroup, RawRankingRow } from "@/lib/datasets/types";
import { text, threeAnnotators } from "@/tests/unit/datasets/fixtures";

const row = (ranks: Record<string, number>, over: Partial<RawRankingRow> = {}): RawRankingRow => ({
  promptId: "p1", annotatorId: "u1", ranks, prompt: [{ role: "user", content: "Capital of France?" }], completions: { a: "Paris.", b: "Lyon.", c: "Paris. ", h: "Paris is the capital of France." }, ...over,
});

describe("SFT (prompt, best response)", () => {
  it("takes the rank-1 response, treats identical tied texts as one, and gives none for a tie of different texts", () => {
    expect(bestResponse(row({ a: 2, b: 1 }))).toBe("Lyon.");
    expect(bestResponse(row({ a: 1, c: 1, b: 2 }))).toBe("Paris.");
    expect(bestResponse(row({ a: 1, b: 1 }))).toBeUndefined();
    expect(() => bestResponse(row({ a: 1, b: 2 }, { completions: undefined }))).toThrow(/no completion texts/);
  });

  it("writes TRL's conversational prompt-completion lines, one per distinct best of a prompt", async () => {
    const rows = [
      row({ h: 1, a: 2, b: 3 }, { annotatorId: "u1" }), // an annotator's rewrite ranked first
      row({ b: 1, a: 2 }, { annotatorId: "u2" }),
      row({ b: 1, a: 2 }, { annotatorId: "u3" }), // the same best again: no second line
      row({ a: 1, b: 1 }, { annotatorId: "u4" }), // no single best
      row({ x: 1, y: 2 }, { promptId: "p2", prompt: [{ role: "system", content: "Be terse." }, { role: "user", content: "2+2?" }], completions: { x: "4", y: "5" } }),
    ];
    expect(await text(writeSft(rows))).toBe(
      '{"prompt":[{"role":"user","content":"Capital of France?"}],"completion":[{"role":"assistant","content":"Paris is the capital of France."}]}\n' +
        '{"prompt":[{"role":"user","content":"Capital of France?"}],"completion":[{"role":"assistant","content":"Lyon."}]}\n' +
        '{"prompt":[{"role":"system","content":"Be terse."},{"role":"user","content":"2+2?"}],"completion":[{"role":"assistant","content":"4"}]}\n',
    );
  });

  it("is a rankings format fed by exportRankings with texts (filters apply)", async () => {
    expect(sftFormat.rows).toBe("rankings");
    const group: PromptGroup = threeAnnotators();
    const out = await text(sftFormat.write(exportRankings([group], { includeText: true, filters: { annotatorIds: ["u3"] } })) as AsyncIterable<string>);
    expect(out).toBe('{"prompt":[{"role":"user","content":"Name a colour."}],"completion":[{"role":"assistant","content":"Blue."}]}\n');
  });
});
