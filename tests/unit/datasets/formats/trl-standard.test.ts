import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseTrlStandard, trlStandardLine, writeTrlStandard } from "@/lib/datasets/formats/trl-standard";
import { collect, importError, multiTurn, pair, text } from "@/tests/unit/datasets/fixtures";

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

describe("TRL standard import", () => {
  it("round-trips: import then export gives identical bytes", async () => {
    const lines = [
      '{"prompt":"Hi?","chosen":"Hello!","rejected":"Go away."}',
      '{"prompt":"Ünïcode \\"q\\"\\n","chosen":"✓","rejected":"","margin":0.5}',
    ];
    const pairs = await collect(parseTrlStandard(lines));
    expect(pairs[1]).toEqual({ prompt: [{ role: "user", content: 'Ünïcode "q"\n' }], chosen: "✓", rejected: "", extra: { margin: 0.5 } });
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

  it("keeps fields it does not know (a margin, an id) and writes them back after its own", async () => {
    const line = '{"prompt":"a","chosen":"b","rejected":"c","margin":"big","id":7,"__proto__":{"x":1}}';
    const [p] = await collect(parseTrlStandard([line]));
    expect(Object.keys(p!.extra!)).toEqual(["margin", "id", "__proto__"]);
    expect(JSON.parse(trlStandardLine(p!))).toEqual(JSON.parse(line));
  });

  it("lets a margin computed for the export win over an imported one", () => {
    expect(trlStandardLine({ ...pair, margin: 2, extra: { margin: 9 } })).toBe('{"prompt":"Hi?","chosen":"Hello!","rejected":"Go away.","margin":2}');
  });

  it("refuses a pair whose sides answer different conversations, which one prompt string cannot hold", () => {
    expect(() => trlStandardLine({ ...pair, rejectedContext: [{ role: "user", content: "Other?" }] })).toThrow(/answer different conversations; use trl-conversational/);
  });
});
