import { describe, expect, it } from "vitest";
import { parseTrlConversational, trlConversationalLine, writeTrlConversational } from "@/lib/datasets/formats/trl-conversational";
import { collect, importError, multiTurn, pair, text } from "@/tests/unit/datasets/fixtures";

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
