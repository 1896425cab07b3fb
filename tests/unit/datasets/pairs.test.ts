import { describe, expect, it } from "vitest";
import { pairsForPrompt, rankingsToPairs } from "@/lib/datasets/pairs";
import { collect, threeAnnotators } from "@/tests/unit/datasets/fixtures";

const summary = (pairs: ReturnType<typeof pairsForPrompt>) =>
  pairs.map((p) => `${p.annotatorId ?? "*"}:${p.chosenId}${p.tie ? "=" : ">"}${p.rejectedId}@${p.agreement.toFixed(3)}`);

describe("pairsForPrompt (raw)", () => {
  it("emits every strict pair of each ranking, C(K,2) at most, and drops ties by default", () => {
    const pairs = pairsForPrompt(threeAnnotators());
    expect(summary(pairs)).toEqual([
      // a>b: u1, u2 agree; u3 disagrees → 2/3. a>c: u1, u2 agree; u3 tied → 2/3. b>c: u1, u3 agree → 2/3.
      "u1:a>b@0.667",
      "u1:a>c@0.667",
      "u1:b>c@0.667",
      "u2:a>c@0.667",
      "u2:a>b@0.667",
      "u2:c>b@0.333",
      "u3:b>a@0.333",
      "u3:b>c@0.667",
    ]);
    expect(pairs[0]).toEqual({
      promptId: "p1",
      prompt: [{ role: "user", content: "Name a colour." }],
      chosenId: "a",
      rejectedId: "b",
      chosen: "Red.",
      rejected: "Blue.",
      annotatorId: "u1",
      agreement: 2 / 3,
    });
  });

  it("keeps ties as tie: true on request, with the share of annotators who also tied", () => {
    const ties = pairsForPrompt(threeAnnotators(), { ties: "keep" }).filter((p) => p.tie);
    expect(summary(ties)).toEqual(["u3:a=c@0.333"]);
  });

  it("adds margin from rank distance, or from ratings when both completions are rated", () => {
    const group = threeAnnotators();
    group.rankings[0]!.ratings = { a: 7, b: 3 };
    const margins = pairsForPrompt(group, { margin: true })
      .filter((p) => p.annotatorId === "u1")
      .map((p) => [p.chosenId, p.rejectedId, p.margin]);
    // a-b rated 7 vs 3 → 4; a-c and b-c have no rating for c → rank distance 2 and 1.
    expect(margins).toEqual([
      ["a", "b", 4],
      ["a", "c", 2],
      ["b", "c", 1],
    ]);
    expect(pairsForPrompt(group)[0]).not.toHaveProperty("margin");
  });

  it("fails loudly when a ranked completion has no text", () => {
    const group = threeAnnotators();
    delete group.completions.c;
    expect(() => pairsForPrompt(group)).toThrow(/completion "c" of prompt "p1" has no text/);
  });
});

describe("pairsForPrompt (majority)", () => {
  it("keeps the direction most annotators chose, with their share as agreement", () => {
    const pairs = pairsForPrompt(threeAnnotators(), { mode: "majority", margin: true });
    expect(summary(pairs)).toEqual(["*:a>b@0.667", "*:a>c@0.667", "*:b>c@0.667"]);
    // a>b: u1 margin 1, u2 margin 2 → mean 1.5.
    expect(pairs[0]!.margin).toBe(1.5);
    expect(pairs[0]).not.toHaveProperty("annotatorId");
  });

  it("drops exact splits", () => {
    const group = threeAnnotators();
    group.rankings = group.rankings.slice(0, 2); // u1 b>c, u2 c>b
    expect(summary(pairsForPrompt(group, { mode: "majority" }))).toEqual(["*:a>b@1.000", "*:a>c@1.000"]);
  });

  it("emits a tie only when tying is the strict plurality and ties are kept", () => {
    const group = threeAnnotators();
    group.rankings = [group.rankings[2]!, { annotatorId: "u4", promptId: "p1", ranks: { a: 1, b: 1, c: 1 } }];
    const pairs = pairsForPrompt(group, { mode: "majority", ties: "keep" });
    expect(summary(pairs)).toEqual(["*:a=c@1.000"]);
  });
});

describe("pairsForPrompt (bradley-terry)", () => {
  it("orders completions by a per-prompt Bradley–Terry fit", () => {
    const pairs = pairsForPrompt(threeAnnotators(), { mode: "bradley-terry", margin: true });
    // Wins (a tie is half each way): a 2 + 2.5 = 4.5, b 1 + 2 = 3, c 0.5 + 1 = 1.5 → a > b > c.
    expect(summary(pairs)).toEqual(["*:a>b@0.667", "*:a>c@0.667", "*:b>c@0.667"]);
    expect(pairs.map((p) => p.margin)).toEqual([1, 2, 1]);
  });

  it("ties completions the data cannot tell apart", () => {
    const group = threeAnnotators();
    group.rankings = group.rankings.slice(0, 2); // b and c each win once against the other
    const pairs = pairsForPrompt(group, { mode: "bradley-terry", ties: "keep" });
    expect(summary(pairs)).toEqual(["*:a>b@1.000", "*:a>c@1.000", "*:b=c@0.000"]);
  });

  it("rejects an unknown mode", () => {
    expect(() => pairsForPrompt(threeAnnotators(), { mode: "vote" as never })).toThrow(/got vote/);
  });
});

describe("rankingsToPairs", () => {
  it("streams from an async iterable of prompt groups", async () => {
    async function* groups() {
      yield threeAnnotators();
      yield threeAnnotators("p2");
    }
    const pairs = await collect(rankingsToPairs(groups(), { mode: "majority" }));
    expect(pairs.map((p) => p.promptId)).toEqual(["p1", "p1", "p1", "p2", "p2", "p2"]);
  });
});
