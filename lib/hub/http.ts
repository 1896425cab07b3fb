/**
 * HTTP for the Hub client: the URL policy on every hop, the token sent only to
 * the endpoint's own origin (huggingface_hub drops it when a file redirects to
 * the CDN), redirects followed by hand, and the Hub's status codes turned into
 * one clear HubError each.
 */
import { HubError } from "./errors";
import type { HubSettings } from "./settings";
import { hubUrlProblem } from "./url-policy";

/** What a request is for, so an error can say which id and file failed. */
export interface RequestContext {
  /** The hf: id as the user wrote it (formatHubModelId). */
  label: string;
  repo: string;
  revision: string;
  file?: string;
}

export interface HubRequest {
  method: "GET" | "HEAD";
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Gives up on a request whose response headers take longer than this. */
  timeoutMs?: number;
}

const MAX_REDIRECTS = 10;

function sameOrigin(a: string, b: string): boolean {
  return new URL(a).origin === new URL(b).origin;
}

/** A network failure's code (ECONNREFUSED, ECONNRESET, ENOTFOUND, …) or its message; never a header. */
export function describeNetworkError(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; code?: string; name?: string; message?: string };
  if (err?.name === "TimeoutError") return "timed out";
  return err?.cause?.code ?? err?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/** One request, no redirect followed. Network failures become HubError("network"); the caller's abort is rethrown as is. */
export async function hubFetch(settings: HubSettings, url: string, req: HubRequest, ctx: RequestContext): Promise<Response> {
  const problem = hubUrlProblem(url);
  if (problem) throw new HubError("protocol", `${ctx.label}: refusing to fetch ${new URL(url).origin}: the URL ${problem}`);
  const headers: Record<string, string> = { "user-agent": "rlhf-studio", "accept-encoding": "identity", ...req.headers };
  if (settings.token && sameOrigin(url, settings.endpoint)) headers.authorization = `Bearer ${settings.token}`;
  const signals = [req.signal, req.timeoutMs ? AbortSignal.timeout(req.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
  try {
    return await fetch(url, { method: req.method, headers, redirect: "manual", signal: signals.length ? AbortSignal.any(signals) : undefined });
  } catch (e) {
    if (req.signal?.aborted) throw req.signal.reason;
    throw new HubError("network", `${ctx.label}: cannot reach ${new URL(url).origin}: ${describeNetworkError(e)}`);
  }
}

/**
 * Follows redirects. `crossOrigin: "stop"` returns at the first hop to another
 * origin (the HEAD of a file: its Location is the CDN URL to download from);
 * "follow" goes on, sending the token to the endpoint's origin only.
 */
export async function hubFetchFollowing(
  settings: HubSettings, url: string, req: HubRequest, ctx: RequestContext, crossOrigin: "stop" | "follow",
): Promise<{ response: Response; url: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await hubFetch(settings, current, req, ctx);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || !location) return { response, url: current };
    const next = new URL(location, current).toString();
    if (crossOrigin === "stop" && !sameOrigin(next, current)) return { response, url: next };
    await response.body?.cancel();
    current = next;
  }
  throw new HubError("protocol", `${ctx.label}: more than ${MAX_REDIRECTS} redirects from ${new URL(url).origin}`);
}

/** The Hub's answer for a failed request as one message naming the id, the file and what to do. */
export function hubStatusError(settings: HubSettings, response: Response, ctx: RequestContext): HubError {
  const status = response.status;
  const code = response.headers.get("x-error-code");
  const where = ctx.file ? `${ctx.file} in ${ctx.repo}` : ctx.repo;
  const needToken = `${ctx.label}: the Hub needs a token for ${ctx.repo} (a gated or private model): set HF_TOKEN to a Hugging Face token with read access`;
  if (code === "RepoNotFound" || (status === 404 && !ctx.file && code !== "RevisionNotFound")) {
    const hint = settings.token ? "" : " (a private repo also needs HF_TOKEN)";
    return new HubError("not_found", `${ctx.label}: no such model repo ${ctx.repo} on ${settings.endpoint}${hint}`);
  }
  if (code === "RevisionNotFound") return new HubError("not_found", `${ctx.label}: no revision "${ctx.revision}" in ${ctx.repo}`);
  if (status === 404) return new HubError("not_found", `${ctx.label}: no such file ${where} (revision ${ctx.revision})`);
  if (status === 401 && !settings.token) return new HubError("unauthorized", needToken);
  if (status === 401) return new HubError("unauthorized", `${ctx.label}: the Hub refused HF_TOKEN for ${ctx.repo} (invalid or expired token)`);
  if (status === 403 && !settings.token) return new HubError("forbidden", needToken);
  if (status === 403) {
    return new HubError("forbidden", `${ctx.label}: HF_TOKEN has no access to ${ctx.repo}: for a gated model, accept its terms at ${settings.endpoint}/${ctx.repo} with the token's account`);
  }
  const retryable = status === 429 || status >= 500;
  return new HubError(retryable ? "network" : "protocol", `${ctx.label}: the Hub answered HTTP ${status} for ${where}`);
}
