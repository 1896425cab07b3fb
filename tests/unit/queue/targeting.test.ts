import { describe, expect, it } from "vitest";
import { languageListSchema, languageSchema, splitList, tagListSchema } from "@/lib/queue/targeting";

describe("targeting labels", () => {
  it("stores languages and tags lower-cased, without duplicates", () => {
    expect(languageSchema.parse(" pt-BR ")).toBe("pt-br");
    expect(languageListSchema.parse(["EN", "en", "de"])).toEqual(["en", "de"]);
    expect(tagListSchema.parse(["Math", " math ", "code"])).toEqual(["math", "code"]);
  });

  it("refuses what is not a language code or an empty tag", () => {
    for (const bad of ["english!", "e", "en_US", ""]) expect(languageSchema.safeParse(bad).success, bad).toBe(false);
    expect(tagListSchema.safeParse(["  "]).success).toBe(false);
  });

  it("splits a cell on semicolons and commas", () => {
    expect(splitList("math; Code ,,  ")).toEqual(["math", "Code"]);
  });
});
