import { describe, expect, it } from "vitest";
import { hashLinkToken, hashPassword, newLinkToken, randomPassword, verifyPassword } from "@/lib/users/password";

describe("password and link-token hashing", () => {
  it("verifies the password a hash was made from and refuses any other", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsE", hash)).toBe(false);
  });

  it("makes random passwords of the asked length without look-alike characters", () => {
    const passwords = Array.from({ length: 50 }, () => randomPassword(20));
    for (const p of passwords) {
      expect(p).toHaveLength(20);
      expect(p).toMatch(/^[2-9a-zA-Z]+$/);
      expect(p).not.toMatch(/[01ilIoO]/);
    }
    expect(new Set(passwords).size).toBe(50);
  });

  it("stores a link token only as its SHA-256, which the token reproduces", async () => {
    const { token, hash } = await newLinkToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(await hashLinkToken(token)).toBe(hash);
    expect(await hashLinkToken(`${token}x`)).not.toBe(hash);
    expect((await newLinkToken()).token).not.toBe(token);
  });
});
