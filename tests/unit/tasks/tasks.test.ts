import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/numerics/rng";
import { generateCorpus, generateItem, TASK_FAMILIES, verifiers } from "@/lib/tasks";

describe("task families", () => {
  it("has at least eight families, each with its own registered verifier", () => {
    expect(TASK_FAMILIES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(TASK_FAMILIES.map((f) => f.verifierId)).size).toBe(TASK_FAMILIES.length);
    for (const f of TASK_FAMILIES) expect(verifiers[f.verifierId]).toBe(f.verify);
  });

  for (const family of TASK_FAMILIES) {
    describe(family.family, () => {
      const rng = createRng(42);
      const items = Array.from({ length: 60 }, () => generateItem(family, rng));

      it("verifier accepts every generated reference response", () => {
        for (const it of items) expect(verifiers[it.verifierId]!(it.meta, it.response), `${it.prompt} → ${it.response}`).toMatchObject({ correct: true });
      });

      it("verifier rejects a near miss and an empty answer, with a reason", () => {
        for (const it of items) {
          const near = verifiers[it.verifierId]!(it.meta, family.nearMiss(it.meta));
          expect(near.correct, `${it.prompt} near miss "${family.nearMiss(it.meta)}"`).toBe(false);
          expect(near.reason.length).toBeGreaterThan(0);
          expect(verifiers[it.verifierId]!(it.meta, "").correct).toBe(false);
        }
      });

      it("keeps prompts and responses short for a tiny model", () => {
        for (const it of items) {
          expect(it.prompt.length).toBeLessThanOrEqual(60);
          expect(it.response.length).toBeLessThanOrEqual(60);
        }
      });
    });
  }

  it("tolerates a trailing full stop and surrounding spaces", () => {
    const [item] = generateCorpus(7, 1);
    expect(verifiers[item!.verifierId]!(item!.meta, `  ${item!.response}. `).correct).toBe(true);
  });

  it("is reproducible from the seed and changes with it", () => {
    expect(generateCorpus(5, 30)).toEqual(generateCorpus(5, 30));
    expect(generateCorpus(5, 30)).not.toEqual(generateCorpus(6, 30));
  });

  it("rotates through every family", () => {
    const fams = new Set(generateCorpus(1, TASK_FAMILIES.length).map((x) => x.family));
    expect(fams.size).toBe(TASK_FAMILIES.length);
  });

  it("judges specific answers as a person would", () => {
    const v = verifiers;
    expect(v["int-equals-arith"]!({ a: 7, b: 5, op: "+" }, "12").correct).toBe(true);
    expect(v["int-equals-arith"]!({ a: 7, b: 5, op: "+" }, "13").correct).toBe(false);
    expect(v["unit-convert"]!({ n: 3, from: "km", to: "m", want: 3000 }, "3000 cm").correct).toBe(false);
    expect(v["format-rule"]!({ rule: "nwords", text: "", n: 2, category: "colors" }, "red red").correct).toBe(false);
    expect(v["format-rule"]!({ rule: "nwords", text: "", n: 2, category: "colors" }, "red blue").correct).toBe(true);
    expect(v["story-mentions"]!({ names: ["Anna", "Ben"], objects: ["lamp", "key"] }, "Anna and Ben had a lamp.").reason).toMatch(/key/);
  });
});
