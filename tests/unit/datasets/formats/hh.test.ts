import { describe, expect, it } from "vitest";
import { hhLine, parseHh, splitHhPair, writeHh } from "@/lib/datasets/formats/hh";
import { collect, importError, multiTurn, pair, text } from "@/tests/unit/datasets/fixtures";

describe("Anthropic HH", () => {
  it("writes full transcripts sharing the prompt", async () => {
    expect(await text(writeHh([pair]))).toBe(
      '{"chosen":"\\n\\nHuman: Hi?\\n\\nAssistant: Hello!","rejected":"\\n\\nHuman: Hi?\\n\\nAssistant: Go away."}\n',
    );
  });

  it("writes every earlier turn of a multi-turn prompt", () => {
    expect(JSON.parse(hhLine(multiTurn)).chosen).toBe(
      "\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Joke?\n\nAssistant: Knock knock.",
    );
  });

  it("writes an empty reply as the marker and its space, as HH files write every turn", () => {
    expect(JSON.parse(hhLine({ ...pair, rejected: "" })).rejected).toBe("\n\nHuman: Hi?\n\nAssistant: ");
  });

  it("writes each side's own conversation when they differ before the reply", () => {
    const line = JSON.parse(hhLine({ ...multiTurn, rejectedContext: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hey" }, { role: "user", content: "Joke?" }] }));
    expect(line.chosen).toBe("\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Joke?\n\nAssistant: Knock knock.");
    expect(line.rejected).toBe("\n\nHuman: Hi\n\nAssistant: Hey\n\nHuman: Joke?\n\nAssistant: No.");
  });

  it("refuses system messages, which HH cannot express", () => {
    expect(() => hhLine({ ...pair, prompt: [{ role: "system", content: "Be nice" }, ...pair.prompt] })).toThrow(
      /no system role/,
    );
  });
});

describe("HH import", () => {
  it("splits a single-turn pair into prompt and replies", () => {
    const r = splitHhPair("\n\nHuman: Hi?\n\nAssistant: Hello!", "\n\nHuman: Hi?\n\nAssistant: Go away.");
    expect(r).toEqual({ ok: true, value: { prompt: [{ role: "user", content: "Hi?" }], chosen: "Hello!", rejected: "Go away." } });
  });

  it("keeps earlier assistant turns in the prompt of a multi-turn dialogue", () => {
    const prefix = "\n\nHuman: Hi\n\nAssistant: Hello, how can I help?\n\nHuman: A joke?\n\nAssistant:";
    const r = splitHhPair(`${prefix} Why did the chicken…`, `${prefix} No.`);
    expect(r).toEqual({
      ok: true,
      value: {
        prompt: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello, how can I help?" },
          { role: "user", content: "A joke?" },
        ],
        chosen: "Why did the chicken…",
        rejected: "No.",
      },
    });
  });

  it("cuts at the last shared assistant marker even when the replies share a beginning", () => {
    const prefix = "\n\nHuman: Q1\n\nAssistant: A1\n\nHuman: Q2\n\nAssistant:";
    const r = splitHhPair(`${prefix} Sure, here it is.`, `${prefix} Sure, but no.`);
    expect(r.ok && r.value.prompt.length).toBe(3);
    expect(r.ok && [r.value.chosen, r.value.rejected]).toEqual(["Sure, here it is.", "Sure, but no."]);
  });

  it("handles an empty reply", () => {
    const r = splitHhPair("\n\nHuman: Hi\n\nAssistant: ", "\n\nHuman: Hi\n\nAssistant: Hey");
    expect(r.ok && [r.value.chosen, r.value.rejected]).toEqual(["", "Hey"]);
  });

  it("keeps each side's conversation when the transcripts differ before the final reply", () => {
    const r = splitHhPair("\n\nHuman: A\n\nAssistant: x\n\nHuman: B\n\nAssistant: y", "\n\nHuman: A\n\nAssistant: z\n\nHuman: B\n\nAssistant: w");
    expect(r).toEqual({
      ok: true,
      value: {
        prompt: [{ role: "user", content: "A" }, { role: "assistant", content: "x" }, { role: "user", content: "B" }],
        chosen: "y",
        rejected: "w",
        rejectedContext: [{ role: "user", content: "A" }, { role: "assistant", content: "z" }, { role: "user", content: "B" }],
      },
    });
  });

  it("keeps a marker without its space as text, so a quoted \"\\n\\nHuman:\" stays in its turn", () => {
    const r = splitHhPair('\n\nHuman: What does "\n\nHuman:" mean?\n\nAssistant: A turn.', '\n\nHuman: What does "\n\nHuman:" mean?\n\nAssistant: No idea.');
    expect(r.ok && r.value.prompt).toEqual([{ role: "user", content: 'What does "\n\nHuman:" mean?' }]);
  });

  it("reads identical transcripts as a pair of equal replies", () => {
    expect(splitHhPair("\n\nHuman: a\n\nAssistant: b", "\n\nHuman: a\n\nAssistant: b")).toEqual({ ok: true, value: { prompt: [{ role: "user", content: "a" }], chosen: "b", rejected: "b" } });
  });

  it("refuses what it cannot write back exactly: no assistant turn, no leading human turn, a bare final marker", () => {
    expect(splitHhPair("\n\nHuman: a", "\n\nHuman: b")).toEqual({ ok: false, message: 'chosen: has no "\\n\\nAssistant: " turn' });
    expect(splitHhPair("Hi\n\nAssistant: a", "Hi\n\nAssistant: b")).toEqual({ ok: false, message: 'chosen: transcript must start with "\\n\\nHuman: "' });
    expect(splitHhPair("\n\nHuman: a\n\nAssistant: b", "\n\nHuman: a\n\nAssistant:")).toMatchObject({ ok: false, message: expect.stringMatching(/^rejected: ends with "\\n\\nAssistant:" and no space/) });
  });

  it("round-trips single- and multi-turn lines, including an empty reply and leading spaces", async () => {
    const lines = [
      '{"chosen":"\\n\\nHuman: Hi?\\n\\nAssistant: Hello!","rejected":"\\n\\nHuman: Hi?\\n\\nAssistant: Go away."}',
      '{"chosen":"\\n\\nHuman: Hi\\n\\nAssistant: Yo\\n\\nHuman: Joke?\\n\\nAssistant:  indented","rejected":"\\n\\nHuman: Hi\\n\\nAssistant: Yo\\n\\nHuman: Joke?\\n\\nAssistant: "}',
    ];
    const pairs = await collect(parseHh(lines));
    expect(pairs[1]!.chosen).toBe(" indented");
    expect(pairs.map(hhLine)).toEqual(lines);
  });

  it("reports a bad HH line with its number", async () => {
    const err = await importError(collect(parseHh(['{"chosen":"\\n\\nHuman: a","rejected":"\\n\\nHuman: b"}'])));
    expect(err.message).toBe('line 1: chosen: has no "\\n\\nAssistant: " turn');
  });
});
