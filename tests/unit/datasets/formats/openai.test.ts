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
    expect(err.message).toBe("line 2: preferred_output: Invalid input: expected array, received undefined");
  });

  it("keeps fields beside the messages (tools) and at the top, and writes them back where they were", async () => {
    const withTools =
      '{"input":{"messages":[{"role":"user","content":"Weather?"}],"tools":[{"type":"function","name":"w"}],"parallel_tool_calls":false},' +
      '"preferred_output":[{"role":"assistant","content":"Sunny."}],"non_preferred_output":[{"role":"assistant","content":"Rain."}],"id":"r7"}';
    const [p] = await collect(parseOpenAiPreference([withTools]));
    expect(p!.extra).toEqual({ id: "r7", input: { tools: [{ type: "function", name: "w" }], parallel_tool_calls: false } });
    expect(openAiPreferenceLine(p!)).toBe(withTools);
  });
});
