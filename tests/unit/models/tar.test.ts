import { describe, expect, it } from "vitest";
import { TAR_BLOCK, tarEnd, tarHeader, tarLength, tarPadding } from "@/lib/models/tar";

const text = (h: Uint8Array, from: number, length: number) => new TextDecoder().decode(h.subarray(from, from + length)).replace(/\0.*$/s, "");

/** The ustar checksum: the header's bytes summed with the checksum field read as eight spaces. */
function checksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum;
}

describe("ustar headers", () => {
  it("writes name, mode, octal size and mtime, the ustar magic and a checksum tar accepts", () => {
    const h = tarHeader("dpo-1/config.json", 1234, 1_700_000_000);
    expect(h.length).toBe(512);
    expect(text(h, 0, 100)).toBe("dpo-1/config.json");
    expect(text(h, 100, 8)).toBe("0000644");
    expect(Number.parseInt(text(h, 124, 12), 8)).toBe(1234);
    expect(Number.parseInt(text(h, 136, 12), 8)).toBe(1_700_000_000);
    expect(String.fromCharCode(h[156])).toBe("0");
    expect(text(h, 257, 6)).toBe("ustar");
    expect(text(h, 263, 2)).toBe("00");
    expect(Number.parseInt(text(h, 148, 8), 8)).toBe(checksum(h));
  });

  it("puts the folder of a name longer than 100 bytes in the prefix field", () => {
    const folder = "v".repeat(60);
    const file = `${"f".repeat(90)}.json`;
    const h = tarHeader(`${folder}/${file}`, 1, 0);
    expect(text(h, 0, 100)).toBe(file);
    expect(text(h, 345, 155)).toBe(folder);
    expect(() => tarHeader(`${folder}/${"f".repeat(120)}`, 1, 0)).toThrow(/too long for ustar/);
  });

  it("writes sizes of 8 GiB and more in base-256, high bit set", () => {
    const size = 2 ** 33 + 5;
    const h = tarHeader("big.gguf", size, 0);
    expect(h[124]).toBe(0x80);
    let v = 0;
    for (let i = 125; i < 136; i++) v = v * 256 + h[i];
    expect(v).toBe(size);
    expect(Number.parseInt(text(h, 148, 8), 8)).toBe(checksum(h));
  });

  it("refuses absolute names, '..' and sizes that are not byte counts", () => {
    expect(() => tarHeader("/etc/passwd", 1, 0)).toThrow(/relative/);
    expect(() => tarHeader("a/../../b", 1, 0)).toThrow(/relative/);
    expect(() => tarHeader("a", -1, 0)).toThrow(/non-negative integer/);
  });

  it("pads each file to 512 bytes and ends with two zero blocks", () => {
    expect([0, 1, 511, 512, 513].map(tarPadding)).toEqual([0, 511, 1, 0, 511]);
    expect(tarLength([1, 512])).toBe(512 + 512 + 512 + 512 + 1024);
    expect(tarEnd()).toEqual(new Uint8Array(1024));
  });
});
