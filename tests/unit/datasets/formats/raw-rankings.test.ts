import { describe, expect, it } from "vitest";
import { parseRawRankings, rawRankingLine, tieGroups, writeRawRankings } from "@/lib/datasets/formats/raw-rankings";
import { collect, importError, text } from "@/tests/unit/datasets/fixtures";

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
