/**
 * Where to send a user after sign-in: only a path on this app. Browsers read
 * `//evil.com` and `/\evil.com` (and both with tabs or newlines inside, which
 * the URL parser drops) as another host, so a callback must start with a
 * single "/", contain no backslash or control character, and still have the
 * app's origin once parsed against it.
 */
const MAX_LENGTH = 2000;

export function safeCallbackPath(raw: unknown, origin: string): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  if (!raw.startsWith("/") || raw.startsWith("//")) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * next-auth's redirect callback: a same-origin path or URL is kept (checked
 * as above), anything else goes to the app's root.
 */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  let candidate: unknown = url;
  if (!url.startsWith("/")) {
    try {
      const parsed = new URL(url);
      candidate = parsed.origin === new URL(baseUrl).origin ? `${parsed.pathname}${parsed.search}${parsed.hash}` : null;
    } catch {
      candidate = null;
    }
  }
  const path = safeCallbackPath(candidate, baseUrl);
  return path ? `${baseUrl.replace(/\/+$/, "")}${path}` : baseUrl;
}
