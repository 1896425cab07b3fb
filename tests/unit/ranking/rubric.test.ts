import { describe, expect, it } from "vitest";
import { identicalRankProblem } from "@/lib/ranking/identical";
import { rewritesProblem, rewriteTextProblem, REWRITE_MAX_CHARS } from "@/lib/ranking/rewrite";
import { DEFAULT_RUBRIC, rubricProblem, rubricSchema } from "@/lib/ranking/rubric";

const answers = (over: Partial<Parameters<typeof rubricProblem>[0]> = {}) => ({ ranks: { a: 1, b: 2 }, flags: {}, ratings: {}, aspectRatings: {}, ...over });

describe("rubricSchema", () => {
  it("defaults to a full ranking with the four flags of old and an overall rating", () => {
    expect(DEFAULT_RUBRIC.scale).toBe("full");
    expect(DEFAULT_RUBRIC.flags.map((f) => f.id)).toEqual(["harmful", "factually_wrong", "off_topic", "low_quality"]);
    expect(DEFAULT_RUBRIC.overallRating).toBe(true);
    expect(DEFAULT_RUBRIC.aspects).toEqual([]);
  });
  it("names the field of an id used twice, a bad id and an unknown scale", () => {
    const twice = rubricSchema.safeParse({ aspects: [{ id: "honesty", label: "Honesty" }, { id: "honesty", label: "Again" }] });
    expect(twice.success).toBe(false);
    expect(twice.error!.issues[0]).toMatchObject({ path: ["aspects", 1, "id"], message: '"honesty" is used twice' });
    expect(rubricSchema.safeParse({ flags: [{ id: "Bad Id", label: "x" }] }).error!.issues[0]!.path).toEqual(["flags", 0, "id"]);
    expect(rubricSchema.safeParse({ scale: "pairwise" }).success).toBe(false);
  });
});

describe("rubricProblem", () => {
  const rubric = rubricSchema.parse({ flags: [{ id: "unsafe", label: "Unsafe" }], overallRating: false, aspects: [{ id: "honesty", label: "Honesty" }] });
  it("accepts what the rubric asks for", () => {
    expect(rubricProblem(answers({ flags: { a: ["unsafe"] }, aspectRatings: { a: { honesty: 6 } } }), rubric)).toBeNull();
  });
  it("refuses flags, aspects and an overall rating the project does not have, naming the field", () => {
    expect(rubricProblem(answers({ flags: { a: ["harmful"] } }), rubric)).toBe('flags.a: "harmful" is not a flag of this project (unsafe)');
    expect(rubricProblem(answers({ flags: { a: ["unsafe", "unsafe"] } }), rubric)).toBe("flags.a: a flag is listed twice");
    expect(rubricProblem(answers({ aspectRatings: { b: { verbosity: 3 } } }), rubric)).toBe("aspectRatings.b.verbosity: not an aspect of this project (honesty)");
    expect(rubricProblem(answers({ ratings: { a: 5 } }), rubric)).toBe("ratings: this project does not ask for an overall rating");
  });
  it("holds a best-only project to ranks 1 and 2", () => {
    const best = rubricSchema.parse({ scale: "best" });
    expect(rubricProblem(answers({ ranks: { a: 1, b: 2, c: 2 } }), best)).toBeNull();
    expect(rubricProblem(answers({ ranks: { a: 1, b: 2, c: 3 } }), best)).toMatch(/^ranks\.c: this project asks only for the best response/);
    expect(rubricProblem(answers({ ranks: { a: 1, b: 2, c: 3 } }), DEFAULT_RUBRIC)).toBeNull();
  });
});

describe("identical completions", () => {
  const completions = [{ id: "a", text: "4" }, { id: "b", text: "5" }, { id: "c", text: "4 " }];
  it("refuses a ranking that splits identical texts, and accepts one that ties them", () => {
    expect(identicalRankProblem({ a: 1, b: 2, c: 1 }, completions)).toBeNull();
    expect(identicalRankProblem({ a: 1, b: 2, c: 3 }, completions)).toBe("ranks.c: its text is identical to a, so it must share that rank (1), got 3");
  });
});

describe("rewrites", () => {
  const completions = [{ id: "a", text: "Paris is in Italy." }, { id: "b", text: "Lyon" }];
  const rewrite = (over = {}) => ({ id: "11111111-1111-4111-8111-111111111111", parentId: "a", text: "Paris is in France.", ...over });
  it("names an empty, oversized or unchanged edit in the editor", () => {
    expect(rewriteTextProblem("  \n", "x")).toBe("The rewrite must not be empty.");
    expect(rewriteTextProblem("y".repeat(REWRITE_MAX_CHARS + 1), "x")).toBe(`The rewrite must be at most ${REWRITE_MAX_CHARS} characters.`);
    expect(rewriteTextProblem(" x ", "x")).toMatch(/unchanged/);
    expect(rewriteTextProblem("better", "x")).toBeNull();
  });
  it("refuses on the server a rewrite of something not shown, an unchanged one, a reused id and too many", () => {
    expect(rewritesProblem([rewrite()], completions, 2)).toBeNull();
    expect(rewritesProblem([rewrite({ parentId: "zzz" })], completions, 2)).toBe("rewrites.0.parentId: zzz is not a completion of this task");
    expect(rewritesProblem([rewrite({ text: "Paris is in Italy." })], completions, 2)).toBe("rewrites.0.text: is unchanged from the response it rewrites");
    expect(rewritesProblem([rewrite(), rewrite({ text: "Other" })], completions, 2)).toMatch(/^rewrites\.1\.id: .* already used/);
    expect(rewritesProblem([rewrite({ id: "b" })], completions, 2)).toMatch(/^rewrites\.0\.id/);
    expect(rewritesProblem([rewrite()], completions, 9)).toBe("rewrites: at most 0 fit (9 responses on screen in all)");
  });
});
