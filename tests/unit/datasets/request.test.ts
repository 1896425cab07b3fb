import { describe, expect, it } from "vitest";
import { exportFileName, exportOptionsSchema } from "@/lib/datasets/request";

describe("exportOptionsSchema", () => {
  it("defaults to the registry's first format and parses older ids to the current one", () => {
    expect(exportOptionsSchema.parse({}).format).toBe("trl-standard");
    expect(exportOptionsSchema.parse({ format: "trl" }).format).toBe("trl-standard");
    expect(exportOptionsSchema.parse({ format: "raw" }).format).toBe("raw-rankings");
  });

  it("allows kept ties only where a tie can be written, or where rankings are not paired", () => {
    expect(exportOptionsSchema.safeParse({ format: "csv", ties: "keep" }).success).toBe(true);
    expect(exportOptionsSchema.safeParse({ format: "raw-rankings", ties: "keep" }).success).toBe(true);
    const refused = exportOptionsSchema.safeParse({ format: "parquet", ties: "keep" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ["ties"], message: "keep needs format csv: the other pair formats cannot hold a tie" });
  });
});

describe("exportFileName", () => {
  it("names the file by project slug, format id and split, with the format's extension", () => {
    expect(exportFileName("Colours: v2!", exportOptionsSchema.parse({ format: "raw", split: "test" }))).toBe("colours-v2-raw-rankings-test.jsonl");
    expect(exportFileName("", exportOptionsSchema.parse({ format: "csv" }))).toBe("project-csv.csv");
  });
});
