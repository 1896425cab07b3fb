/**
 * The client address a request came from, for per-address limits.
 *
 * Next.js fills X-Forwarded-For with the socket's address only when the
 * request has none, so a client talking to the app directly could name any
 * address. proxy.ts therefore drops the header a client sent unless
 * STUDIO_TRUSTED_PROXY_HOPS says reverse proxies stand in front; then each
 * proxy appends the address it saw, and the client's is the entry that many
 * places from the right (entries further left are whatever the client sent).
 * IPv6 clients are grouped by /64, the block one subscriber usually holds.
 */
import net from "node:net";

export type HeaderGetter = (name: string) => string | null | undefined;

/** Reads a header from a fetch Request's Headers or next-auth's plain header object. */
export function headerGetter(headers: Headers | Record<string, string | string[] | undefined> | undefined): HeaderGetter {
  if (!headers) return () => undefined;
  if (headers instanceof Headers) return (name) => headers.get(name);
  return (name) => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(",") : v;
  };
}

/** Drops a port (1.2.3.4:5678, [::1]:5678) and brackets, then checks it is an IP address. */
function parseAddress(entry: string): string | null {
  let s = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.toLowerCase().replace(/%.*$/, "");
  const family = net.isIP(s);
  if (family === 0) return null;
  if (family === 4) return s;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (mapped) return mapped[1];
  return `${ipv6Prefix64(s)}::/64`;
}

/** The first four groups of an IPv6 address, expanded ("2001:db8::1" → "2001:db8:0:0"). */
function ipv6Prefix64(ip: string): string {
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, ""];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [...left, ...new Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}

/** The client's address (an IPv4 address or an IPv6 /64), or "unknown" when the request carries none. */
export function clientAddress(header: HeaderGetter, trustedProxyHops: number): string {
  const entries = (header("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  const index = entries.length - Math.max(1, trustedProxyHops);
  if (index < 0) return "unknown";
  return parseAddress(entries[index]) ?? "unknown";
}
