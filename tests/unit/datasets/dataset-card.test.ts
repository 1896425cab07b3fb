import { describe, expect, it } from "vitest";
import { datasetCard, sizeCategory } from "@/lib/datasets/dataset-card";

describe("datasetCard", () => {
  it("writes Hugging Face front matter with a config per split, then the summary (exact bytes)", () => {
    const card = datasetCard(
      {
        prompts: 12,
        rankings: 30,
        annotators: 3,
        splits: { train: 90, test: 10 },
        pairwiseAgreement: 0.7253,
        krippendorffAlpha: { level: "ordinal", value: 0.61234 },
      },
      {
        title: "Colours: preferences",
        description: "Rankings of colour answers.",
        format: "trl-standard",
        license: "cc-by-4.0",
        language: ["en"],
        export: {
          mode: "majority",
          ties: "drop",
          margin: true,
          minAgreement: 0.5,
          filters: { from: "2026-01-01T00:00:00Z", annotatorIds: ["u1", "u2"], excludeFlagged: true },
          pseudonymise: { salt: "secret" },
          split: { testFraction: 0.1, seed: 42 },
        },
      },
    );
    expect(card).toBe(
      [
        "---",
        'license: "cc-by-4.0"',
        "language:",
        '- "en"',
        'pretty_name: "Colours: preferences"',
        "tags:",
        "- rlhf",
        "- preference",
        "- human-feedback",
        "size_categories:",
        "- n<1K",
        "configs:",
        "- config_name: default",
        "  data_files:",
        '  - split: "train"',
        '    path: "data/train.jsonl"',
        '  - split: "test"',
        '    path: "data/test.jsonl"',
        "---",
        "",
        "# Colours: preferences",
        "",
        "Rankings of colour answers.",
        "",
        "## Dataset structure",
        "",
        'TRL standard preference format: `{"prompt", "chosen", "rejected"}` strings.',
        "",
        "| Split | Rows |",
        "| --- | ---: |",
        "| train | 90 |",
        "| test | 10 |",
        "",
        "## Collection",
        "",
        "- Prompts: 12",
        "- Rankings: 30",
        "- Annotators: 3",
        "",
        "## Agreement",
        "",
        "- Pairwise agreement (annotator pairs × completion pairs, ties excluded): 72.5%",
        "- Krippendorff's alpha (ordinal): 0.612",
        "",
        "## Export options",
        "",
        "- Pairing mode: majority",
        "- Ties: dropped",
        "- Margins: included",
        "- Minimum agreement: 0.5",
        "- Date range: 2026-01-01T00:00:00Z to now",
        "- Annotators: 2 selected",
        "- Flagged rankings: excluded",
        "- Annotator ids: pseudonymised with a salted keyed hash",
        "- Split: by prompt, test fraction 0.1, seed 42; no prompt is in two splits",
        "",
      ].join("\n"),
    );
    expect(card).not.toContain("secret");
  });

  it("uses .csv paths for CSV and says when agreement was not computed", () => {
    const card = datasetCard({ prompts: 1, rankings: 1, annotators: 1, splits: { train: 1 } }, { title: "t", format: "csv" });
    expect(card).toContain('    path: "data/train.csv"');
    expect(card).toContain("agreement (annotator pairs × completion pairs, ties excluded): not computed");
    expect(card).toContain("- Krippendorff's alpha: not computed");
    expect(card).not.toContain("license:");
  });

  it("takes the data file extension and the structure text from the format's registry entry", () => {
    const card = datasetCard({ prompts: 1, rankings: 1, annotators: 1, splits: { train: 1 } }, { title: "t", format: "parquet" });
    expect(card).toContain('    path: "data/train.parquet"');
    expect(card).toContain("Parquet of pairs: columns `prompt_id`");
  });

  it("escapes a title that would break YAML", () => {
    expect(datasetCard({ prompts: 0, rankings: 0, annotators: 0, splits: {} }, { title: 'a"\nb: c', format: "hh" })).toContain(
      'pretty_name: "a\\"\\nb: c"',
    );
  });

  it("buckets sizes the way the Hub does", () => {
    expect([999, 1000, 50_000, 2_000_000, 50_000_000].map(sizeCategory)).toEqual([
      "n<1K",
      "1K<n<10K",
      "10K<n<100K",
      "1M<n<10M",
      "10M<n<100M",
    ]);
  });
});
