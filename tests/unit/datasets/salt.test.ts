import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportSalt } from "@/lib/datasets/salt";

// The salt keys every pseudonym already in exported files: it must stay byte-for-byte what it was.
const nodeSalt = (secret: string, projectId: string) =>
  createHash("sha256").update(`export-pseudonyms:${secret}:${projectId}`).digest("hex");

describe("exportSalt", () => {
  it("gives the SHA-256 of the secret and project id, as earlier exports did", () => {
    expect(exportSalt("p-1", "s3cret ✓")).toBe(nodeSalt("s3cret ✓", "p-1"));
  });

  it("uses the fixed local key when there is no secret", () => {
    expect(exportSalt("p-1", undefined)).toBe(nodeSalt("rlhf-studio-local", "p-1"));
  });

  it("differs between projects and between secrets", () => {
    const salts = new Set([exportSalt("p-1", "a"), exportSalt("p-2", "a"), exportSalt("p-1", "b")]);
    expect(salts.size).toBe(3);
  });
});
