/**
 * The bytes of a POSIX ustar archive around files the caller streams: a
 * 512-byte header per file, the file's bytes, zero padding to a 512-byte
 * boundary, and two zero blocks at the end. Pure, so the download route
 * can stream model folders of any size from disk without building the archive.
 */

export const TAR_BLOCK = 512;

/** Bytes of zero padding after a file of `size` bytes. */
export function tarPadding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

/** The whole archive's length, for Content-Length. */
export function tarLength(sizes: readonly number[]): number {
  return sizes.reduce((n, s) => n + TAR_BLOCK + s + tarPadding(s), 0) + 2 * TAR_BLOCK;
}

/** The two zero blocks that end an archive. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(2 * TAR_BLOCK);
}

const enc = new TextEncoder();

function put(h: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = enc.encode(text);
  if (bytes.length > length) throw new RangeError(`tar header field at ${offset} holds ${length} bytes, got ${bytes.length}`);
  h.set(bytes, offset);
}

/** `value` as zero-padded octal in a field of `length` bytes ending in NUL. */
const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, "0")}\0`;

/** A size past 11 octal digits (8 GiB) in the base-256 form GNU tar and bsdtar read: high bit set, big-endian. */
function putSize(h: Uint8Array, size: number): void {
  if (size < 8 ** 11) return put(h, 124, 12, octal(size, 12));
  h[124] = 0x80;
  let v = BigInt(size);
  for (let i = 135; i > 124; i--, v >>= 8n) h[i] = Number(v & 0xffn);
}

/** ustar keeps up to 100 bytes of name, plus up to 155 of folder in `prefix` split at a "/". */
function splitName(name: string): { prefix: string; base: string } {
  if (enc.encode(name).length <= 100) return { prefix: "", base: name };
  for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(base).length <= 100) return { prefix, base };
  }
  throw new RangeError(`tar entry name too long for ustar: ${name.slice(0, 80)}…`);
}

/**
 * The 512-byte header of a regular file `name` ("folder/file", "/"-separated,
 * relative) of `size` bytes, modified at `mtimeSeconds`, mode 0644.
 */
export function tarHeader(name: string, size: number, mtimeSeconds: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`tar entry size must be a non-negative integer, got ${size}`);
  if (name.startsWith("/") || name.split("/").includes("..")) throw new RangeError(`tar entry name must be relative, got ${name}`);
  const h = new Uint8Array(TAR_BLOCK);
  const { prefix, base } = splitName(name);
  put(h, 0, 100, base);
  put(h, 100, 8, octal(0o644, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  putSize(h, size);
  put(h, 136, 12, octal(Math.max(0, Math.floor(mtimeSeconds)), 12));
  put(h, 148, 8, "        "); // the checksum is summed with its own field as spaces
  h[156] = "0".charCodeAt(0);
  put(h, 257, 6, "ustar\0");
  put(h, 263, 2, "00");
  put(h, 345, 155, prefix);
  const sum = h.reduce((s, b) => s + b, 0);
  put(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}
