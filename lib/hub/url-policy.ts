/**
 * Which URLs the Hub client may fetch: https anywhere, plain http only on a
 * loopback address (a local stand-in server in tests). A redirect to any other
 * http URL is refused, so a token or a model file never crosses the network in clear.
 */

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Why `raw` may not be fetched, or null when it may. */
export function hubUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "may not carry a user name or password";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return null;
  return "must be https:// (plain http:// only on a loopback address such as 127.0.0.1)";
}
