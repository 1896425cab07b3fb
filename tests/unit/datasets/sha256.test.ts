import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex, sha256Hex } from "@/lib/datasets/sha256";

describe("sha256Hex", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  // The test may import node:crypto; only lib/ must stay pure.
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 1000])("agrees with node:crypto on %i bytes across padding edges", (n) => {
    const s = "x".repeat(n);
    expect(sha256Hex(s)).toBe(createHash("sha256").update(s).digest("hex"));
  });

  it("hashes UTF-8, not UTF-16", () => {
    const s = "héllo ✓ 🎉";
    expect(sha256Hex(s)).toBe(createHash("sha256").update(s, "utf8").digest("hex"));
  });
});

describe("hmacSha256Hex", () => {
  it("matches RFC 4231 test case 2", () => {
    expect(hmacSha256Hex("Jefe", "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it.each([0, 1, 64, 65, 131])("agrees with node:crypto for a %i-byte key (keys over 64 bytes are hashed first)", (n) => {
    const key = "k".repeat(n);
    expect(hmacSha256Hex(key, "annotator-42")).toBe(createHmac("sha256", key).update("annotator-42").digest("hex"));
  });
});
