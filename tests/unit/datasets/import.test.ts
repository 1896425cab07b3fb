import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { hhLine } from "@/lib/datasets/formats/hh";
import { openAiPreferenceLine } from "@/lib/datasets/formats/openai";
import { rawRankingLine } from "@/lib/datasets/formats/raw-rankings";
import { trlConversationalLine } from "@/lib/datasets/formats/trl-conversational";
import { trlStandardLine } from "@/lib/datasets/formats/trl-standard";
import { parseHh, splitHhPair } from "@/lib/datasets/import/hh";
import { splitLines } from "@/lib/datasets/import/lines";
import { parseOpenAiPreference } from "@/lib/datasets/import/openai";
import { parseRawRankings } from "@/lib/datasets/import/raw-rankings";
import { parseTrlConversational, parseTrlStandard } from "@/lib/datasets/import/trl";
import { collect } from "@/tests/unit/datasets/fixtures";

/** Awaits a parse and returns the thrown error, failing the test if none was thrown. */
async function importError(run: Promise<unknown>): Promise<AppError> {
  try {
    await run;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the import to fail");
}

describe("splitLines", () => {
  it("splits across chunk boundaries and accepts CRLF", async () => {
    expect(await collect(splitLines(["a\r", "\nb", "c\n", "\nd"]))).toEqual(["a", "bc", "", "d"]);
  });
});

describe("TRL standard import", () => {
  it("round-trips: import then export gives identical bytes", async () => {
    const lines = [
      '{"prompt":"Hi?","chosen":"Hello!","rejected":"Go away."}',
      '{"prompt":"Ünïcode \\"q\\"\\n","chosen":"✓","rejected":"","margin":0.5}',
    ];
    const pairs = await collect(parseTrlStandard(lines));
    expect(pairs[1]).toEqual({ prompt: [{ role: "user", content: 'Ünïcode "q"\n' }], chosen: "✓", rejected: "", margin: 0.5 });
    expect(pairs.map(trlStandardLine)).toEqual(lines);
  });

  it("reports the 1-based line number of a bad line, counting blank lines", async () => {
    const err = await importError(collect(parseTrlStandard(['{"prompt":"a","chosen":"b","rejected":"c"}', "", '{"prompt":"a","chosen":1}'])));
    expect(err.message).toMatch(/^line 3: chosen: /);
    expect(err.details).toEqual({ line: 3 });
  });

  it("reports invalid JSON with its line number", async () => {
    const err = await importError(collect(parseTrlStandard(["{oops"])));
    expect(err.message).toMatch(/^line 1: invalid JSON/);
    expect(err.code).toBe("bad_request");
  });

  it("rejects a non-numeric margin", async () => {
    const err = await importError(collect(parseTrlStandard(['{"prompt":"a","chosen":"b","rejected":"c","margin":"big"}'])));
    expect(err.message).toMatch(/^line 1: margin: /);
  });
});

describe("TRL conversational import", () => {
  const line =
    '{"prompt":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"},{"role":"user","content":"Joke?"}],' +
    '"chosen":[{"role":"assistant","content":"Pun."}],"rejected":[{"role":"assistant","content":"No."}],"margin":2}';

  it("round-trips a multi-turn conversation", async () => {
    const pairs = await collect(parseTrlConversational([line]));
    expect(pairs[0]!.prompt).toHaveLength(4);
    expect(pairs.map(trlConversationalLine)).toEqual([line]);
  });

  it("rejects a reply that is not a single assistant message", async () => {
    const bad = '{"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"user","content":"x"}],"rejected":[{"role":"assistant","content":"y"}]}';
    const err = await importError(collect(parseTrlConversational(["", bad])));
    expect(err.message).toBe("line 2: chosen: must be an assistant message");
  });

  it("reports an empty prompt or reply as a line error, not a crash", async () => {
    const emptyPrompt = '{"prompt":[],"chosen":[{"role":"assistant","content":"x"}],"rejected":[{"role":"assistant","content":"y"}]}';
    expect((await importError(collect(parseTrlConversational([emptyPrompt])))).message).toBe(
      "line 1: prompt: must hold at least one message",
    );
    const emptyReply = '{"prompt":[{"role":"user","content":"Hi"}],"chosen":[],"rejected":[{"role":"assistant","content":"y"}]}';
    expect((await importError(collect(parseTrlConversational([emptyReply])))).message).toBe(
      "line 1: chosen: must be exactly one message",
    );
  });

  it("rejects a prompt that does not end with a user turn", async () => {
    const bad = '{"prompt":[{"role":"assistant","content":"Hi"}],"chosen":[{"role":"assistant","content":"x"}],"rejected":[{"role":"assistant","content":"y"}]}';
    const err = await importError(collect(parseTrlConversational([bad])));
    expect(err.message).toBe("line 1: prompt: must end with a user message");
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
    const r = splitHhPair("\n\nHuman: Hi\n\nAssistant:", "\n\nHuman: Hi\n\nAssistant: Hey");
    expect(r.ok && [r.value.chosen, r.value.rejected]).toEqual(["", "Hey"]);
  });

  it("rejects transcripts that differ before the final reply", () => {
    const r = splitHhPair("\n\nHuman: A\n\nAssistant: x\n\nHuman: B\n\nAssistant: y", "\n\nHuman: A\n\nAssistant: z\n\nHuman: B\n\nAssistant: y");
    expect(r).toEqual({ ok: false, message: "chosen and rejected differ before their final assistant reply" });
  });

  it("rejects identical transcripts and ones without a shared assistant turn", () => {
    expect(splitHhPair("\n\nHuman: a\n\nAssistant: b", "\n\nHuman: a\n\nAssistant: b").ok).toBe(false);
    expect(splitHhPair("\n\nHuman: a", "\n\nHuman: b")).toEqual({
      ok: false,
      message: 'chosen and rejected share no "\\n\\nAssistant:" turn',
    });
    expect(splitHhPair("Hi\n\nAssistant: a", "Hi\n\nAssistant: b")).toEqual({
      ok: false,
      message: 'transcript must start with "\\n\\nHuman:"',
    });
  });

  it("round-trips single- and multi-turn lines, including an empty reply and leading spaces", async () => {
    const lines = [
      '{"chosen":"\\n\\nHuman: Hi?\\n\\nAssistant: Hello!","rejected":"\\n\\nHuman: Hi?\\n\\nAssistant: Go away."}',
      '{"chosen":"\\n\\nHuman: Hi\\n\\nAssistant: Yo\\n\\nHuman: Joke?\\n\\nAssistant:  indented","rejected":"\\n\\nHuman: Hi\\n\\nAssistant: Yo\\n\\nHuman: Joke?\\n\\nAssistant:"}',
    ];
    const pairs = await collect(parseHh(lines));
    expect(pairs[1]!.chosen).toBe(" indented");
    expect(pairs.map(hhLine)).toEqual(lines);
  });

  it("reports a bad HH line with its number", async () => {
    const err = await importError(collect(parseHh(['{"chosen":"\\n\\nHuman: a","rejected":"\\n\\nHuman: b"}'])));
    expect(err.message).toBe('line 1: chosen and rejected share no "\\n\\nAssistant:" turn');
  });
});

describe("raw rankings import", () => {
  const line =
    '{"promptId":"p1","annotatorId":"u1","createdAt":"2026-01-01T00:00:00Z","shownOrder":["c","a","b"],' +
    '"ranks":{"a":1,"b":2,"c":2},"ties":[["b","c"]],"ratings":{"a":6},"flags":["unsure"],' +
    '"rationale":"a is precise","timeSpentMs":4200,"prompt":[{"role":"user","content":"Q"}],"completions":{"a":"A","b":"B","c":"C"}}';

  it("round-trips a full row", async () => {
    const rows = await collect(parseRawRankings([line, '{"promptId":"p1","annotatorId":"u2","ranks":{"a":1},"ties":[]}']));
    expect(rows[0]).not.toHaveProperty("ties");
    expect(rows.map(rawRankingLine)).toEqual([line, '{"promptId":"p1","annotatorId":"u2","ranks":{"a":1},"ties":[]}']);
  });

  it("rejects ranks with gaps", async () => {
    const err = await importError(
      collect(parseRawRankings(['{"promptId":"p","annotatorId":"u","ranks":{"a":1,"b":3},"ties":[]}'])),
    );
    expect(err.message).toBe("line 1: ranks must be dense (1, 2, … without gaps), got 1, 3");
  });

  it("rejects a ties field that contradicts the ranks", async () => {
    const err = await importError(
      collect(parseRawRankings(['{"promptId":"p","annotatorId":"u","ranks":{"a":1,"b":1},"ties":[]}'])),
    );
    expect(err.message).toBe('line 1: ties must be [["a","b"]] for these ranks, got []');
  });

  it("rejects a shown completion without a rank and a malformed date", async () => {
    const shown = await importError(
      collect(parseRawRankings(['{"promptId":"p","annotatorId":"u","shownOrder":["z"],"ranks":{"a":1},"ties":[]}'])),
    );
    expect(shown.message).toBe('line 1: shownOrder names "z", which has no rank');
    const date = await importError(
      collect(parseRawRankings(['{"promptId":"p","annotatorId":"u","createdAt":"yesterday","ranks":{"a":1},"ties":[]}'])),
    );
    expect(date.message).toMatch(/^line 1: createdAt: /);
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
