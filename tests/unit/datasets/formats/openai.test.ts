import { describe, expect, it } from "vitest";
import { openAiPreferenceLine, parseOpenAiPreference, writeOpenAiPreference } from "@/lib/datasets/formats/openai";
import { collect, importError, pair, text } from "@/tests/unit/datasets/fixtures";

describe("OpenAI preference fine-tuning", () => {
  it("writes input.messages, preferred_output and non_preferred_output", async () => {
    expect(await text(writeOpenAiPreference([pair]))).toBe(
      '{"input":{"messages":[{"role":"user","content":"Hi?"}]},' +
        '"preferred_output":[{"role":"assistant","content":"Hello!"}],' +
        '"non_preferred_output":[{"role":"assistant","content":"Go away."}]}\n',
    );
    expect(openAiPreferenceLine({ ...pair, margin: 3 })).not.toContain("margin");
  });
});

describe("OpenAI preference import", () => {
  const line =
    '{"input":{"messages":[{"role":"system","content":"Be kind"},{"role":"user","content":"Hi?"}]},' +
    '"preferred_output":[{"role":"assistant","content":"Hello!"}],"non_preferred_output":[{"role":"assistant","content":"Go away."}]}';

  it("round-trips a line with a system message", async () => {
    const pairs = await collect(parseOpenAiPreference([line]));
    expect(pairs[0]!.prompt[0]).toEqual({ role: "system", content: "Be kind" });
    expect(pairs.map(openAiPreferenceLine)).toEqual([line]);
  });

  it("reports a missing field with its path and line", async () => {
    const err = await importError(collect(parseOpenAiPreference([line, '{"input":{"messages":[]}}'])));
    expect(err.message).toBe("line 2: input.messages: must hold at least one message");
  });
});
