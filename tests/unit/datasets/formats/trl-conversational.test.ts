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

  it("rejects a side whose last message is not the assistant's reply", async () => {
    const bad = '{"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"user","content":"x"}],"rejected":[{"role":"assistant","content":"y"}]}';
    const err = await importError(collect(parseTrlConversational(["", bad])));
    expect(err.message).toBe("line 2: chosen: the last message must be the assistant's reply");
  });

  it("reports an empty prompt or reply as a line error, not a crash", async () => {
    const emptyPrompt = '{"prompt":[],"chosen":[{"role":"assistant","content":"x"}],"rejected":[{"role":"assistant","content":"y"}]}';
    expect((await importError(collect(parseTrlConversational([emptyPrompt])))).message).toBe(
      "line 1: prompt: must hold the messages chosen and rejected share (it may be empty only when they share none)",
    );
    const emptyReply = '{"prompt":[{"role":"user","content":"Hi"}],"chosen":[],"rejected":[{"role":"assistant","content":"y"}]}';
    expect((await importError(collect(parseTrlConversational([emptyReply])))).message).toBe("line 1: chosen: must hold at least one message");
  });

  it("reads a prompt that ends with an assistant turn as it is", async () => {
    const line = '{"prompt":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hel"}],"chosen":[{"role":"assistant","content":"lo"}],"rejected":[{"role":"assistant","content":"p"}]}';
    expect((await collect(parseTrlConversational([line]))).map(trlConversationalLine)).toEqual([line]);
  });

  it("keeps each side's own turns before its reply, as TRL's extract_prompt writes them", async () => {
    const line =
      '{"prompt":[{"role":"user","content":"Hi"}],' +
      '"chosen":[{"role":"assistant","content":"Yo"},{"role":"user","content":"Joke?"},{"role":"assistant","content":"Pun."}],' +
      '"rejected":[{"role":"assistant","content":"Go"},{"role":"user","content":"Joke?"},{"role":"assistant","content":"No."}]}';
    const [p] = await collect(parseTrlConversational([line]));
    expect(p).toEqual({
      prompt: [{ role: "user", content: "Hi" }],
      chosen: "Pun.",
      rejected: "No.",
      chosenContext: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Yo" }, { role: "user", content: "Joke?" }],
      rejectedContext: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Go" }, { role: "user", content: "Joke?" }],
    });
    expect(trlConversationalLine(p!)).toBe(line);
  });

  it("writes a pair whose conversations share nothing with an empty prompt, and reads it back", async () => {
    const diverging = { ...pair, rejectedContext: [{ role: "user" as const, content: "Other?" }] };
    const line = trlConversationalLine(diverging);
    expect(JSON.parse(line).prompt).toEqual([]);
    const [back] = await collect(parseTrlConversational([line]));
    expect(back).toEqual(diverging);
  });

  it("keeps fields it does not know and writes them back; refuses message fields it cannot store", async () => {
    const line = '{"prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}],"id":"x-1","score_chosen":9.5}';
    const [p] = await collect(parseTrlConversational([line]));
    expect(p!.extra).toEqual({ id: "x-1", score_chosen: 9.5 });
    expect(trlConversationalLine(p!)).toBe(line);
    const named = '{"prompt":[{"role":"user","content":"Hi","name":"ann"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]}';
    expect((await importError(collect(parseTrlConversational([named])))).message).toMatch(/^line 1: prompt\.0: Unrecognized key/);
  });
});
