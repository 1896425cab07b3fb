import { describe, expect, it } from "vitest";
import { qualificationVerdict, requiredCorrect } from "@/lib/queue/qualification";

describe("qualification verdict", () => {
  it("needs ⌈passMark · K⌉ right answers, without rounding 0.8 · 5 up to 5", () => {
    expect(requiredCorrect({ size: 5, passMark: 0.8 })).toBe(4);
    expect(requiredCorrect({ size: 3, passMark: 0.5 })).toBe(2);
    expect(requiredCorrect({ size: 10, passMark: 1 })).toBe(10);
    expect(requiredCorrect({ size: 7, passMark: 0.01 })).toBe(1);
  });

  it("waits for the whole batch, then passes or fails on the mark", () => {
    expect(qualificationVerdict({ size: 5, passMark: 0.8, done: 4, correct: 4 })).toBe("pending");
    expect(qualificationVerdict({ size: 5, passMark: 0.8, done: 5, correct: 4 })).toBe("passed");
    expect(qualificationVerdict({ size: 5, passMark: 0.8, done: 5, correct: 3 })).toBe("failed");
  });

  it("refuses impossible inputs with the value named", () => {
    expect(() => requiredCorrect({ size: 0, passMark: 0.8 })).toThrow("size must be a positive integer, got 0");
    expect(() => requiredCorrect({ size: 5, passMark: 0 })).toThrow("passMark must be in (0, 1], got 0");
    expect(() => qualificationVerdict({ size: 5, passMark: 0.8, done: 2, correct: 3 })).toThrow("correct (3) cannot exceed done (2)");
  });
});
