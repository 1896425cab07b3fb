import { describe, expect, it } from "vitest";
import { csvRows, MAX_PROMPT_CHARS, parsePromptFile } from "@/lib/datasets/prompt-import";

describe("parsePromptFile", () => {
  it("reads one prompt per non-blank line of plain text", () => {
    const r = parsePromptFile("first\n\n  second  \r\nthird\n", "text");
    expect(r.errors).toEqual([]);
    expect(r.prompts.map((p) => [p.text, p.line])).toEqual([["first", 1], ["second", 3], ["third", 4]]);
  });

  it("accepts JSONL prompts, chat messages and records that carry completions", () => {
    const r = parsePromptFile(
      [
        JSON.stringify({ prompt: "hi" }),
        JSON.stringify({ messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }] }),
        JSON.stringify({ prompt: "q", completions: ["x", "y"], metadata: { family: "math" }, verifier_id: "arith" }),
      ].join("\n"),
      "jsonl",
    );
    expect(r.errors).toEqual([]);
    expect(r.prompts[1].messages).toHaveLength(3);
    expect(r.prompts[2]).toMatchObject({ text: "q", completions: ["x", "y"], verifierId: "arith", line: 3 });
  });

  it("reports every bad line with its number and what is wrong", () => {
    const r = parsePromptFile(['{"prompt":"ok"}', "{not json", '{"prompt":""}', '{"prompt":"a","messages":[]}', '{"prompt":"x","completions":["only one"]}', '{"prompt":"x","completions":["a",""]}'].join("\n"), "jsonl");
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(r.errors[0].message).toContain("JSON");
    expect(r.errors[1].message).toContain("empty prompt");
    expect(r.errors[3].message).toContain("at least 2");
    expect(r.errors[4].message).toContain("empty completion");
  });

  it("refuses oversized prompts", () => {
    const r = parsePromptFile("x".repeat(MAX_PROMPT_CHARS + 1), "text");
    expect(r.errors).toEqual([{ line: 1, message: expect.stringContaining("longer than") }]);
  });

  it("reads CSV with quoted fields, commas, newlines and completion columns", () => {
    const csv = 'prompt,completion_a,completion_b\n"Say ""hi"", please","a","b"\n"multi\nline",,\n';
    const r = parsePromptFile(csv, "csv");
    expect(r.errors).toEqual([]);
    expect(r.prompts).toEqual([
      { text: 'Say "hi", please', completions: ["a", "b"], line: 2 },
      { text: "multi\nline", completions: undefined, line: 3 },
    ]);
  });

  it("needs a prompt column in CSV", () => {
    expect(parsePromptFile("text\nhello", "csv").errors[0].message).toContain('"prompt" column');
  });

  it("splits CSV rows on CRLF and keeps the starting line of each row", () => {
    expect(csvRows('a,b\r\n"x\r\ny",z\r\n').map((r) => r.line)).toEqual([1, 2]);
  });

  it("reads targeting tags and a language from JSONL records and CSV columns, lower-cased", () => {
    const jsonl = parsePromptFile('{"prompt":"Hallo?","language":"DE","tags":["Greeting","chat","greeting"]}\n{"prompt":"x","language":"german"}', "jsonl");
    expect(jsonl.prompts[0]).toMatchObject({ text: "Hallo?", language: "de", tags: ["greeting", "chat"] });
    expect(jsonl.errors).toEqual([{ line: 2, message: expect.stringContaining("language") }]);
    const csv = parsePromptFile("prompt,tags,language\nSum 2+2,math; Arithmetic,EN\nPlain,,\nBad,,x_y\n", "csv");
    expect(csv.prompts.map((p) => [p.text, p.tags, p.language])).toEqual([["Sum 2+2", ["math", "arithmetic"], "en"], ["Plain", undefined, undefined]]);
    expect(csv.errors).toEqual([{ line: 4, message: expect.stringContaining("language:") }]);
  });
});
