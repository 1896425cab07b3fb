import { describe, expect, it } from "vitest";
import { summariseRankings } from "@/lib/datasets/summary";
import { datasetCard } from "@/lib/datasets/dataset-card";
import { writePairsCsv } from "@/lib/datasets/formats/csv";
import { pairsToParquet } from "@/lib/datasets/formats/parquet";
import { parseRawRankings, rawRankingLine } from "@/lib/datasets/formats/raw-rankings";
import { exportPairs, exportRankings } from "@/lib/datasets/pipeline";
import type { PromptGroup } from "@/lib/datasets/types";
import { collect, text } from "@/tests/unit/datasets/fixtures";

/** u1 rewrote "a" into "h" and ranked it first; both rated helpfulness; u2 saw only the model's a and b. */
function withRewrite(): PromptGroup {
  return {
    promptId: "p1",
    prompt: [{ role: "user", content: "Capital of France?" }],
    completions: { a: "Lyon.", b: "Paris.", h: "Paris, on the Seine." },
    rewrites: { h: "a" },
    rankings: [
      { annotatorId: "u1", promptId: "p1", ranks: { h: 1, b: 2, a: 3 }, aspectRatings: { h: { helpfulness: 7 }, b: { helpfulness: 5 }, a: { helpfulness: 1, honesty: 2 } } },
      { annotatorId: "u2", promptId: "p1", ranks: { b: 1, a: 2 }, aspectRatings: { b: { helpfulness: 6 }, a: { helpfulness: 2 } } },
    ],
  };
}

describe("rewrites and aspect ratings in exports", () => {
  it("raw rankings carry aspect ratings, and mark a rewrite's row with sources and parents", async () => {
    const rows = await collect(exportRankings([withRewrite()], { includeText: true }));
    expect(rows[0]).toMatchObject({ sources: { h: "human", b: "model", a: "model" }, parents: { h: "a" }, aspectRatings: { h: { helpfulness: 7 } } });
    expect(rows[1]!.sources).toBeUndefined();
    const line = rawRankingLine(rows[0]!);
    expect(line).toContain('"aspectRatings":{"h":{"helpfulness":7},"b":{"helpfulness":5},"a":{"helpfulness":1,"honesty":2}}');
    expect(await collect(parseRawRankings([line]))).toEqual([rows[0]]);
  });

  it("pairs say who wrote each side; ratings are the pair's annotator's in raw mode and the mean otherwise", async () => {
    const raw = await collect(exportPairs([withRewrite()], { mode: "raw" }));
    expect(raw[0]).toMatchObject({ annotatorId: "u1", chosenId: "h", rejectedId: "b", chosenSource: "human", chosenRatings: { helpfulness: 7 }, rejectedRatings: { helpfulness: 5 } });
    expect(raw[0]!.rejectedSource).toBeUndefined();
    const u2 = raw.find((p) => p.annotatorId === "u2")!;
    expect(u2).toMatchObject({ chosenId: "b", chosenRatings: { helpfulness: 6 }, rejectedRatings: { helpfulness: 2 } });
    const majority = await collect(exportPairs([withRewrite()], { mode: "majority" }));
    const ba = majority.find((p) => p.chosenId === "b" && p.rejectedId === "a")!;
    expect(ba.chosenRatings).toEqual({ helpfulness: 5.5 });
    expect(ba.rejectedRatings).toEqual({ helpfulness: 1.5, honesty: 2 });
  });

  it("CSV has the sources and a column per side and rubric aspect; Parquet names the same columns", async () => {
    const csv = await text(writePairsCsv(exportPairs([withRewrite()], { mode: "raw" }), { aspects: ["helpfulness", "honesty"] }));
    const [header, first] = csv.split("\r\n");
    expect(header).toBe("prompt_id,annotator_id,prompt,chosen_id,chosen,rejected_id,rejected,tie,margin,agreement,chosen_context,rejected_context,chosen_source,rejected_source,chosen_helpfulness,chosen_honesty,rejected_helpfulness,rejected_honesty");
    expect(first).toBe('p1,u1,Capital of France?,h,"Paris, on the Seine.",b,Paris.,false,,1,,,human,model,7,,5,');
    const parquet = Buffer.from(await pairsToParquet(exportPairs([withRewrite()], {}), false, ["honesty"]));
    for (const column of ["chosen_source", "rejected_source", "chosen_honesty", "rejected_honesty", "human"]) expect(parquet.includes(Buffer.from(column)), column).toBe(true);
  });

  it("counts the rewrites that were ranked on the dataset card", () => {
    const stats = { ...summariseRankings([withRewrite()]), splits: { train: 1 } };
    expect(stats.humanCompletions).toBe(1);
    expect(datasetCard(stats, { title: "t", format: "csv" })).toContain("- Human-written completions (annotators' rewrites): 1");
  });
});
