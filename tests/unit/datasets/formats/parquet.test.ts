import { describe, expect, it } from "vitest";
import { parquetFormat } from "@/lib/datasets/formats/parquet";
import type { PreferencePair } from "@/lib/datasets/types";
import { collect } from "@/tests/unit/datasets/fixtures";

const pairs: PreferencePair[] = [
  { promptId: "p1", prompt: [{ role: "user", content: "Sky colour?" }], chosenId: "a", rejectedId: "b", chosen: "Blue", rejected: "Green", agreement: 1, margin: 2 },
];

async function file(withMargin: boolean): Promise<Uint8Array> {
  const chunks = await collect(parquetFormat.write(pairs, { margin: withMargin }));
  expect(chunks).toHaveLength(1);
  return chunks[0] as Uint8Array;
}

// The footer's schema holds the column names as plain bytes.
const holds = (bytes: Uint8Array, s: string) => Buffer.from(bytes).includes(Buffer.from(s));

describe("Parquet", () => {
  it("writes one file that starts and ends with the magic bytes and holds the texts", async () => {
    const bytes = await file(false);
    expect(Buffer.from(bytes.slice(0, 4)).toString()).toBe("PAR1");
    expect(Buffer.from(bytes.slice(-4)).toString()).toBe("PAR1");
    for (const s of ["prompt_id", "annotator_id", "agreement", "chosen_context", "rejected_context", "Sky colour?", "Blue", "Green"]) expect(holds(bytes, s), s).toBe(true);
  });

  it("has a margin column only when margins were requested", async () => {
    expect(holds(await file(false), "margin")).toBe(false);
    expect(holds(await file(true), "margin")).toBe(true);
  });
});
