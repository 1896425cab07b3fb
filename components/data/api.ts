/** Browser-side fetch helpers: JSON in, JSON out, errors rebuilt as AppError. */
import { appErrorFromBody } from "@/lib/errors";

export async function apiFetch<T>(url: string, init?: { method?: string; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const res = await fetch(url, {
    method: init?.method ?? (init?.body === undefined ? "GET" : "POST"),
    headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init?.signal,
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw appErrorFromBody(res.status, body);
  return body as T;
}

/** Sends a file's bytes as the body (no JSON wrapping, so a large file is not held twice). */
export async function apiUpload<T>(url: string, file: Blob): Promise<T> {
  const res = await fetch(url, { method: "POST", body: file, headers: { "content-type": "application/octet-stream" } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw appErrorFromBody(res.status, body);
  return body as T;
}
