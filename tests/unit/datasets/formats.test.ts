import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { hhLine, writeHh } from "@/lib/datasets/formats/hh";
import { openAiPreferenceLine, writeOpenAiPreference } from "@/lib/datasets/formats/openai";
import { rawRankingLine, tieGroups, writeRawRankings } from "@/lib/datasets/formats/raw-rankings";
import { trlConversationalLine, writeTrlConversational } from "@/lib/datasets/formats/trl-conversational";
import { trlStandardLine, writeTrlStandard } from "@/lib/datasets/formats/trl-standard";
import type { PairText } from "@/lib/datasets/types";
import { text } from "@/tests/unit/datasets/fixtures";

const pair: PairText = { prompt: [{ role: "user", content: "Hi?" }], chosen: "Hello!", rejected: "Go away." };
const multiTurn: PairText = {
  prompt: [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
    { role: "user", content: "Joke?" },
  ],
  chosen: "Knock knock.",
  rejected: "No.",
};

describe("TRL standard", () => {
  it("writes exact bytes, with margin only when the pair has one", async () => {
    expect(await text(writeTrlStandard([pair, { ...pair, margin: 2 }]))).toBe(
      '{"prompt":"Hi?","chosen":"Hello!","rejected":"Go away."}\n' +
        '{"prompt":"Hi?","chosen":"Hello!","rejected":"Go away.","margin":2}\n',
    );
  });

  it("refuses a multi-turn prompt instead of flattening it", () => {
    expect(() => trlStandardLine(multiTurn)).toThrow(/one user message, got 3 message\(s\)/);
  });

  it("refuses ties with a bad_request AppError", () => {
    let err: unknown;
    try {
      trlStandardLine({ ...pair, tie: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("bad_request");
    expect((err as AppError).message).toMatch(/cannot hold ties/);
  });
});

describe("TRL conversational", () => {
  it("writes the prompt as a message list and replies as one assistant message", async () => {
    expect(await text(writeTrlConversational([{ ...multiTurn, margin: 1.5 }]))).toBe(
      '{"prompt":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Joke?"}],' +
        '"chosen":[{"role":"assistant","content":"Knock knock."}],"rejected":[{"role":"assistant","content":"No."}],"margin":1.5}\n',
    );
  });

  it("drops extra properties a caller put on messages", () => {
    const withExtra = { ...pair, prompt: [{ role: "user" as const, content: "Hi?", id: 7 } as never] };
    expect(trlConversationalLine(withExtra)).toBe(
      '{"prompt":[{"role":"user","content":"Hi?"}],"chosen":[{"role":"assistant","content":"Hello!"}],"rejected":[{"role":"assistant","content":"Go away."}]}',
    );
  });
});

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

  it("writes an empty reply as the bare marker so it round-trips", () => {
    expect(JSON.parse(hhLine({ ...pair, rejected: "" })).rejected).toBe("\n\nHuman: Hi?\n\nAssistant:");
  });

  it("refuses system messages, which HH cannot express", () => {
    expect(() => hhLine({ ...pair, prompt: [{ role: "system", content: "Be nice" }, ...pair.prompt] })).toThrow(
      /no system role/,
    );
  });
});

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

describe("raw rankings", () => {
  it("writes one line per ranking with derived tie groups and only the fields present", async () => {
    const out = await text(
      writeRawRankings([
        {
          annotatorId: "u1",
          promptId: "p1",
          ranks: { a: 1, b: 2, c: 2 },
          shownOrder: ["c", "a", "b"],
          ratings: { a: 6 },
          flags: ["unsure"],
          rationale: "a is precise",
          timeSpentMs: 4200,
          createdAt: "2026-01-01T00:00:00Z",
        },
        { annotatorId: "u2", promptId: "p1", ranks: { a: 2, b: 1 } },
      ]),
    );
    expect(out).toBe(
      '{"promptId":"p1","annotatorId":"u1","createdAt":"2026-01-01T00:00:00Z","shownOrder":["c","a","b"],' +
        '"ranks":{"a":1,"b":2,"c":2},"ties":[["b","c"]],"ratings":{"a":6},"flags":["unsure"],' +
        '"rationale":"a is precise","timeSpentMs":4200}\n' +
        '{"promptId":"p1","annotatorId":"u2","ranks":{"a":2,"b":1},"ties":[]}\n',
    );
  });

  it("lists tie groups best rank first", () => {
    expect(tieGroups({ d: 3, c: 3, b: 1, a: 1, e: 2 })).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(rawRankingLine({ annotatorId: "u", promptId: "p", ranks: {} })).toBe(
      '{"promptId":"p","annotatorId":"u","ranks":{},"ties":[]}',
    );
  });
});
