/**
 * The one way the app talks to a completion source's URL, so an admin-set URL
 * cannot be used to reach the machine itself or its private network (SSRF):
 * loopback, link-local (cloud metadata at 169.254.169.254), private,
 * unique-local, multicast and reserved addresses are refused unless private
 * sources are allowed. The check runs twice: on the URL's host when the
 * setting is saved (an IP literal, in any spelling the URL parser accepts —
 * 2130706433, 0x7f.1, 0177.0.0.1 and [::ffff:127.0.0.1] all become 127.0.0.1)
 * and on every address a host name resolves to, at connect time, inside the
 * socket's own lookup — so a name that resolves to a public address when
 * checked and a private one when used (DNS rebinding) is still refused.
 * Redirects are never followed.
 */
import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

const DENIED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

const DENIED_V6: [string, number][] = [
  ["::", 96], // unspecified, loopback, deprecated IPv4-compatible
  ["::ffff:0:0:0", 96], // IPv4-translated
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID…)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds any IPv4 address
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const denied = new net.BlockList();
for (const [a, p] of DENIED_V4) denied.addSubnet(a, p, "ipv4");
for (const [a, p] of DENIED_V6) denied.addSubnet(a, p, "ipv6");

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad is allowed). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1].split(".").map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address. */
function embeddedIPv4(ip: string): string | null {
  const g = ipv6Groups(ip);
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0);
  if (!mapped && !nat64) return null;
  return [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff].join(".");
}

/** True for an address a completion source may not use by default; anything that is not an IP address counts as denied. */
export function isDeniedAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(ip);
  if (family === 4) return denied.check(ip, "ipv4");
  if (family !== 6) return true;
  const v4 = embeddedIPv4(ip);
  return v4 !== null ? denied.check(v4, "ipv4") : denied.check(ip, "ipv6");
}

const PRIVATE_HINT = "set STUDIO_ALLOW_PRIVATE_SOURCES=true to allow private sources";

/**
 * Why `raw` may not be a completion source's URL, or null when it may. Host
 * names other than localhost pass here and are checked when they resolve.
 */
export function sourceUrlProblem(raw: string, opts: { allowPrivate: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http(s) URL";
  if (url.username || url.password) return "must not carry a user name or password (name a STUDIO_SOURCE_KEY_* variable in apiKeyEnv)";
  if (opts.allowPrivate) return null;
  const host = url.hostname.replace(/\.$/, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return `points to this machine (${host}); ${PRIVATE_HINT}`;
  if (net.isIP(host.replace(/^\[|\]$/g, "")) && isDeniedAddress(host)) {
    return `points to a loopback, link-local, private or reserved address (${host}); ${PRIVATE_HINT}`;
  }
  return null;
}

/** Resolves a host name to every address it has (dns.lookup by default; tests pass their own). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export class BlockedAddressError extends Error {
  readonly code = "ESOURCEBLOCKED";
}

/** Why a host may not be used given every address it resolved to (all must be allowed), or null. */
export function resolvedAddressProblem(hostname: string, addresses: readonly { address: string }[], opts: { allowPrivate: boolean }): string | null {
  if (opts.allowPrivate) return null;
  const bad = addresses.find((a) => isDeniedAddress(a.address));
  return bad ? `${hostname} resolves to ${bad.address}, a loopback, link-local, private or reserved address; ${PRIVATE_HINT}` : null;
}

/** A socket lookup that refuses a host when any address it resolves to is denied. */
function guardedLookup(resolve: Resolver, allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const problem = resolvedAddressProblem(hostname, addresses, { allowPrivate });
        if (problem) return callback(new BlockedAddressError(problem), "", 0);
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
        // net asks for every address (all: true) when it races IPv4 and IPv6.
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}

export interface OutboundReply {
  status: number;
  body: string;
}

/**
 * POSTs JSON to `url` and reads the reply (at most `maxBytes`). A 3xx reply
 * is returned as is, never followed. Throws BlockedAddressError before any
 * byte is sent when the host or what it resolves to is denied.
 */
export async function postJson(url: URL, body: unknown, opts: { headers: Record<string, string>; signal: AbortSignal; allowPrivate: boolean; maxBytes: number; resolve?: Resolver }): Promise<OutboundReply> {
  const problem = sourceUrlProblem(url.href, { allowPrivate: opts.allowPrivate });
  if (problem) throw new BlockedAddressError(`completion source URL ${problem}`);
  const payload = Buffer.from(JSON.stringify(body));
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise<OutboundReply>((resolvePromise, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { ...opts.headers, "content-type": "application/json", "content-length": String(payload.length) },
      lookup: guardedLookup(opts.resolve ?? systemResolver, opts.allowPrivate),
      signal: opts.signal,
      agent: false,
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) {
          req.destroy(new Error(`the completion source's reply is larger than ${opts.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", reject);
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.end(payload);
  });
}

/** An excerpt of an endpoint's reply fit for the server log only: one line, printable, short. */
export function logExcerpt(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]+/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
