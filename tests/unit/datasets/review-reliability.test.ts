import { describe, expect, it } from "vitest";
import { datasetCard } from "@/lib/datasets/dataset-card";
import { parquetFormat } from "@/lib/datasets/formats/parquet";
import { rawRankingLine } from "@/lib/datasets/formats/raw-rankings";
import { exportChunks } from "@/lib/datasets/export";
import { exportPairs, prepareGroup } from "@/lib/datasets/pipeline";
import { exportOptionsSchema, toExportOptions } from "@/lib/datasets/request";
import { acceptanceRate } from "@/lib/datasets/review-status";
import { collect, threeAnnotators } from "@/tests/unit/datasets/fixtures";

const scores = { u1: 0.95, u2: 0.4, u3: 0.7 };

describe("export request: review status and reliability", () => {
  it("keeps every review status but rejected by default and parses a comma list", () => {
    expect(exportOptionsSchema.parse({}).reviewStatus).toEqual(["pending", "accepted", "adjudicated"]);
    expect(exportOptionsSchema.parse({ reviewStatus: "accepted, adjudicated" }).reviewStatus).toEqual(["accepted", "adjudicated"]);
    expect(exportOptionsSchema.safeParse({ reviewStatus: "accepted,maybe" }).error?.issues[0]?.path).toEqual(["reviewStatus", 1]);
    expect(exportOptionsSchema.safeParse({ reviewStatus: "" }).error?.issues[0]?.message).toBe("name at least one review status");
  });

  it("refuses weights in a format with no weight field and in pooled modes, naming the field", () => {
    const trl = exportOptionsSchema.safeParse({ weights: "reliability" });
    expect(trl.error?.issues[0]).toMatchObject({ path: ["weights"], message: expect.stringContaining("raw-rankings, csv, parquet") });
    const majority = exportOptionsSchema.safeParse({ weights: "reliability", format: "csv", mode: "majority" });
    expect(majority.error?.issues[0]).toMatchObject({ path: ["weights"], message: expect.stringContaining("mode raw") });
    expect(exportOptionsSchema.safeParse({ weights: "reliability", format: "raw-rankings", mode: "majority" }).success).toBe(true);
    expect(exportOptionsSchema.safeParse({ minReliability: "1.5" }).success).toBe(false);
  });

  it("needs reliability scores only when the request drops or weights by them", () => {
    expect(() => toExportOptions(exportOptionsSchema.parse({ minReliability: "0.5" }), "salt")).toThrow(/reliability scores are needed/);
    expect(toExportOptions(exportOptionsSchema.parse({}), "salt", { reliability: scores }).reliability).toBeUndefined();
    expect(toExportOptions(exportOptionsSchema.parse({ minReliability: "0.5" }), "salt", { reliability: scores }).reliability).toEqual({ scores, min: 0.5, weight: false });
  });
});

describe("reliability in the pipeline", () => {
  it("drops annotators below the minimum before pseudonymising (scores are keyed by real id)", () => {
    const g = prepareGroup(threeAnnotators(), { reliability: { scores, min: 0.6 }, pseudonymise: { salt: "s" } });
    expect(g.rankings).toHaveLength(2);
    expect(g.rankings.every((r) => r.annotatorId.startsWith("annotator-"))).toBe(true);
    expect(prepareGroup(threeAnnotators(), { reliability: { scores: { u1: 1 }, min: 0 } }).rankings.map((r) => r.annotatorId)).toEqual(["u1"]);
    expect(() => prepareGroup(threeAnnotators(), { reliability: { scores, min: 2 } })).toThrow(/minReliability must be in \[0, 1\], got 2/);
  });

  it("gives raw pairs their annotator's reliability as weight, and pooled pairs none", async () => {
    const raw = await collect(exportPairs([threeAnnotators()], { reliability: { scores, weight: true } }));
    expect(raw.map((p) => [p.annotatorId, p.weight])).toEqual([["u1", 0.95], ["u1", 0.95], ["u1", 0.95], ["u2", 0.4], ["u2", 0.4], ["u2", 0.4], ["u3", 0.7], ["u3", 0.7]]);
    const majority = await collect(exportPairs([threeAnnotators()], { mode: "majority", reliability: { scores, weight: true } }));
    expect(majority.every((p) => p.weight === undefined)).toBe(true);
    const plain = await collect(exportPairs([threeAnnotators()], {}));
    expect(plain.every((p) => !("weight" in p))).toBe(true);
  });
});

describe("weights in the files", () => {
  const request = (q: Record<string, string>) => exportOptionsSchema.parse({ weights: "reliability", pseudonymise: "false", ...q });

  it("adds a last weight column to CSV only when weights were requested", async () => {
    const csv = (await collect(exportChunks([threeAnnotators()], request({ format: "csv" }), toExportOptions(request({ format: "csv" }), "s", { reliability: scores })))).join("");
    const [header, first] = csv.split("\r\n");
    expect(header!.split(",").at(-1)).toBe("weight");
    expect(first!.split(",").at(-1)).toBe("0.95");
    const plain = (await collect(exportChunks([threeAnnotators()], exportOptionsSchema.parse({ format: "csv" }), toExportOptions(exportOptionsSchema.parse({ format: "csv" }), "s")))).join("");
    expect(plain.split("\r\n")[0]).not.toContain("weight");
  });

  it("adds a weight column to Parquet and a weight field to raw rankings", async () => {
    const [bytes] = await collect(parquetFormat.write(await collect(exportPairs([threeAnnotators()], { reliability: { scores, weight: true } })), { margin: false, weight: true }));
    expect(Buffer.from(bytes as Uint8Array).includes(Buffer.from("weight"))).toBe(true);
    const line = rawRankingLine({ annotatorId: "u1", promptId: "p1", ranks: { a: 1, b: 2 }, reviewStatus: "adjudicated", weight: 0.95 });
    expect(JSON.parse(line)).toMatchObject({ reviewStatus: "adjudicated", weight: 0.95 });
  });
});

describe("dataset card: review", () => {
  it("reports the acceptance rate over reviewed rankings and the review statuses kept", () => {
    const review = { pending: 10, accepted: 6, adjudicated: 2, rejected: 2 };
    expect(acceptanceRate(review)).toBe(0.6);
    expect(acceptanceRate({ pending: 3, accepted: 0, adjudicated: 0, rejected: 0 })).toBeNull();
    const card = datasetCard(
      { prompts: 1, rankings: 18, annotators: 3, splits: { train: 4 }, review },
      { title: "t", format: "csv", reviewStatuses: ["accepted", "adjudicated"], export: { reliability: { scores, min: 0.5, weight: true } } },
    );
    expect(card).toContain("- Review: 6 accepted, 2 adjudicated (re-ranked by a reviewer), 2 rejected, 10 pending; acceptance rate 60.0% of reviewed rankings\n");
    expect(card).toContain("- Review status: accepted, adjudicated\n");
    expect(card).toContain("rankings by annotators below 0.5 dropped; each row's `weight` is its annotator's reliability\n");
  });
});
