/**
 * A tiny signed-in HTTP client for driving a running server the way a
 * browser would: next-auth's csrf + credentials callback, cookies kept in a
 * jar. Loopback only (the load and fault tests must never leave the machine).
 */
export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  ms: number;
}

/** Thrown when the request never got an HTTP answer (server down, reset, timeout). */
export class NoAnswerError extends Error {}

export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) throw new Error(`refusing a non-loopback base URL: ${baseUrl}`);
}

export class StudioClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string, private readonly timeoutMs = 30_000) {
    assertLoopback(baseUrl);
  }

  /** Signs in with email and password; throws with the status when refused. */
  static async signIn(baseUrl: string, email: string, password: string): Promise<StudioClient> {
    const c = new StudioClient(baseUrl);
    const csrf = await c.request<{ csrfToken: string }>("GET", "/api/auth/csrf");
    const form = new URLSearchParams({ csrfToken: csrf.body.csrfToken, email, password, json: "true" });
    const res = await c.raw("POST", "/api/auth/callback/credentials", form.toString(), "application/x-www-form-urlencoded");
    const me = await c.request("GET", "/api/me");
    if (me.status !== 200) throw new Error(`sign-in as ${email} failed (callback ${res.status}, /api/me ${me.status})`);
    return c;
  }

  /** The same signed-in session pointed at another server (a restored copy shares the sessions table). */
  withBaseUrl(baseUrl: string): StudioClient {
    const c = new StudioClient(baseUrl, this.timeoutMs);
    for (const [k, v] of this.cookies) c.cookies.set(k, v);
    return c;
  }

  request<T = unknown>(method: string, path: string, json?: unknown): Promise<HttpResult<T>> {
    return this.raw<T>(method, path, json === undefined ? undefined : JSON.stringify(json), "application/json");
  }

  async raw<T = unknown>(method: string, path: string, body: string | undefined, contentType: string): Promise<HttpResult<T>> {
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        body,
        redirect: "manual",
        headers: { ...(body !== undefined ? { "content-type": contentType } : {}), cookie: this.cookieHeader() },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new NoAnswerError(`${method} ${path}: no answer (${err instanceof Error ? (err.cause as Error | undefined)?.message ?? err.message : String(err)})`);
    }
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new NoAnswerError(`${method} ${path}: body cut off (${String(err)})`);
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (an HTML error page); keep the text
    }
    return { status: res.status, body: parsed as T, ms: performance.now() - started };
  }

  /** The session cookies, for tools that send their own requests (autocannon). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}
