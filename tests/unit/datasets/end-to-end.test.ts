import { describe, expect, it } from "vitest";
import { writePairsCsv } from "@/lib/datasets/formats/csv";
import { writeHh } from "@/lib/datasets/formats/hh";
import { writeOpenAiPreference } from "@/lib/datasets/formats/openai";
import { writeRawRankings } from "@/lib/datasets/formats/raw-rankings";
import { writeTrlConversational } from "@/lib/datasets/formats/trl-conversational";
import { writeTrlStandard } from "@/lib/datasets/formats/trl-standard";
import { parseTrlStandard } from "@/lib/datasets/formats/trl-standard";
import { readLines } from "@/lib/datasets/read-lines";
import { exportPairs, exportRankings } from "@/lib/datasets/pipeline";
import { collect, text, threeAnnotators } from "@/tests/unit/datasets/fixtures";

// Majority pairs of the fixture with flagged u2 excluded, leaving u1 a>b>c and u3 b>a=c:
// a-b is a 1–1 split and a-c one win against one tie, so both are dropped; b-c is unanimous.
const opts = { mode: "majority" as const, margin: true, filters: { excludeFlagged: true } };

describe("rankings → file, exact bytes", () => {
  it("TRL standard", async () => {
    expect(await text(writeTrlStandard(exportPairs([threeAnnotators()], opts)))).toBe(
      '{"prompt":"Name a colour.","chosen":"Blue.","rejected":"Green.","margin":1}\n',
    );
  });

  it("TRL conversational", async () => {
    expect(await text(writeTrlConversational(exportPairs([threeAnnotators()], opts)))).toBe(
      '{"prompt":[{"role":"user","content":"Name a colour."}],"chosen":[{"role":"assistant","content":"Blue."}],' +
        '"rejected":[{"role":"assistant","content":"Green."}],"margin":1}\n',
    );
  });

  it("Anthropic HH", async () => {
    expect(await text(writeHh(exportPairs([threeAnnotators()], opts)))).toBe(
      '{"chosen":"\\n\\nHuman: Name a colour.\\n\\nAssistant: Blue.","rejected":"\\n\\nHuman: Name a colour.\\n\\nAssistant: Green."}\n',
    );
  });

  it("OpenAI preference", async () => {
    expect(await text(writeOpenAiPreference(exportPairs([threeAnnotators()], opts)))).toBe(
      '{"input":{"messages":[{"role":"user","content":"Name a colour."}]},' +
        '"preferred_output":[{"role":"assistant","content":"Blue."}],"non_preferred_output":[{"role":"assistant","content":"Green."}]}\n',
    );
  });

  it("CSV with ties kept (raw pairs per annotator, best-ranked first)", async () => {
    expect(await text(writePairsCsv(exportPairs([threeAnnotators()], { ...opts, mode: "raw", ties: "keep" })))).toBe(
      "prompt_id,annotator_id,prompt,chosen_id,chosen,rejected_id,rejected,tie,margin,agreement,chosen_context,rejected_context,chosen_source,rejected_source\r\n" +
        "p1,u1,Name a colour.,a,Red.,b,Blue.,false,1,0.5,,,model,model\r\n" +
        "p1,u1,Name a colour.,a,Red.,c,Green.,false,2,0.5,,,model,model\r\n" +
        "p1,u1,Name a colour.,b,Blue.,c,Green.,false,1,1,,,model,model\r\n" +
        "p1,u3,Name a colour.,b,Blue.,a,Red.,false,1,0.5,,,model,model\r\n" +
        "p1,u3,Name a colour.,b,Blue.,c,Green.,false,1,1,,,model,model\r\n" +
        "p1,u3,Name a colour.,a,Red.,c,Green.,true,0,0.5,,,model,model\r\n",
    );
  });

  it("raw rankings", async () => {
    expect(await text(writeRawRankings(exportRankings([threeAnnotators()], { filters: { excludeFlagged: true } })))).toBe(
      '{"promptId":"p1","annotatorId":"u1","createdAt":"2026-01-01T00:00:00Z","ranks":{"a":1,"b":2,"c":3},"ties":[]}\n' +
        '{"promptId":"p1","annotatorId":"u3","createdAt":"2026-03-01T00:00:00Z","ranks":{"a":2,"b":1,"c":2},"ties":[["a","c"]]}\n',
    );
  });

  it("a written file parses back from chunked text to the same pairs", async () => {
    const file = new TextEncoder().encode(await text(writeTrlStandard(exportPairs([threeAnnotators()], { margin: true }))));
    // Arbitrary chunk boundaries, as a network stream would give.
    const chunks = Array.from({ length: Math.ceil(file.length / 7) }, (_, i) => file.slice(i * 7, i * 7 + 7));
    const lines = (await collect(readLines(chunks, { maxLineBytes: 1024 }))).map((l) => ("text" in l ? l.text : l.error));
    const back = await collect(parseTrlStandard(lines));
    const original = await collect(exportPairs([threeAnnotators()], { margin: true }));
    // A margin is not one of TRL standard's own fields for the app: it comes back as a kept extra field.
    expect(back).toEqual(original.map(({ prompt, chosen, rejected, margin }) => ({ prompt, chosen, rejected, extra: { margin } })));
  });
});
