/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1, speaking the URL layout
 * and headers the real one does: the file list API, resolve/<rev>/<file> with
 * ETag / X-Repo-Commit (and for LFS files X-Linked-Etag / X-Linked-Size and a
 * 302 to a second server, the "CDN"), Range requests (206 / 416), gated repos
 * (401 without a token, 403 with the wrong one) and 404s with X-Error-Code.
 * Faults on demand: a connection dropped after N bytes, corrupted bytes.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  server: "hub" | "cdn";
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
}

interface Repo {
  commit: string;
  files: Map<string, { data: Buffer; lfs: boolean; sha256: string; gitSha1: string }>;
  token?: string;
}

export interface FakeHub {
  /** The Hub's origin (HF_ENDPOINT). */
  url: string;
  /** Adds (or replaces) a repo; files ending in .safetensors/.gguf are LFS, served through the CDN. Returns the commit. */
  addRepo(repo: string, files: Record<string, Uint8Array | string>, opts?: { token?: string }): string;
  /** The next `times` downloads of `file` send `afterBytes` bytes of the body, then cut the connection ("cut") or go silent ("stall"). */
  dropAfter(file: string, afterBytes: number, times?: number, mode?: "cut" | "stall"): void;
  /** Serves `file` with one byte flipped (same length): a digest the client must refuse. */
  corrupt(file: string, on?: boolean): void;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const gitSha1 = (data: Buffer) => createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
const isLfs = (name: string) => /\.(safetensors|gguf)$/.test(name);

async function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const origin = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

interface Drop {
  afterBytes: number;
  times: number;
  mode: "cut" | "stall";
}

/** Writes `data` honouring a `Range: bytes=N-` header; `drop` stops the body after that many bytes. */
function sendBytes(req: http.IncomingMessage, res: http.ServerResponse, data: Buffer, headers: Record<string, string>, drop?: Drop): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  const start = m ? Number(m[1]) : 0;
  if (m && start >= data.length) {
    res.writeHead(416, { "content-range": `bytes */${data.length}` }).end();
    return;
  }
  const body = data.subarray(start);
  res.writeHead(m ? 206 : 200, {
    ...headers,
    "accept-ranges": "bytes",
    "content-length": String(body.length),
    ...(m ? { "content-range": `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
  });
  if (req.method === "HEAD") return void res.end();
  if (drop === undefined) return void res.end(body);
  // Let the client read what was sent before the connection goes, as on a real network.
  res.write(body.subarray(0, drop.afterBytes), () => drop.mode === "cut" && setTimeout(() => res.socket?.destroy(), 50));
}

export async function startFakeHub(): Promise<FakeHub> {
  const repos = new Map<string, Repo>();
  const drops = new Map<string, Drop>();
  const corrupted = new Set<string>();
  const requests: LoggedRequest[] = [];
  const log = (server: "hub" | "cdn", req: http.IncomingMessage) =>
    requests.push({ server, method: req.method!, path: req.url!, range: req.headers.range, authorization: req.headers.authorization });

  const body = (name: string, data: Buffer) => {
    if (!corrupted.has(name)) return data;
    const bad = Buffer.from(data);
    bad[bad.length >> 1] ^= 0xff;
    return bad;
  };
  const takeDrop = (name: string) => {
    const d = drops.get(name);
    if (!d || d.times <= 0) return undefined;
    d.times--;
    return d;
  };

  const cdn = await listen((req, res) => {
    log("cdn", req);
    const url = new URL(req.url!, "http://x");
    const sha = /^\/blobs\/([0-9a-f]{64})$/.exec(url.pathname)?.[1];
    const name = url.searchParams.get("file") ?? "";
    const f = repos.get(url.searchParams.get("repo") ?? "")?.files.get(name);
    if (!f || f.sha256 !== sha) return void res.writeHead(404).end();
    sendBytes(req, res, body(name, f.data), { etag: `"${f.sha256}"` }, req.method === "GET" ? takeDrop(name) : undefined);
  });

  const hub = await listen((req, res) => {
    log("hub", req);
    const url = new URL(req.url!, "http://x");
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const [repoId, rev] = api ? [api[1], decodeURIComponent(api[2])] : resolve ? [resolve[1], decodeURIComponent(resolve[2])] : [];
    const repo = repoId ? repos.get(repoId) : undefined;
    const fail = (status: number, code: string, extra: Record<string, string> = {}) =>
      void res.writeHead(status, { "x-error-code": code, "content-type": "application/json", ...extra }).end(JSON.stringify({ error: code }));
    if (!repo) return fail(404, "RepoNotFound");
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) return fail(req.headers.authorization ? 403 : 401, "GatedRepo");
    if (rev !== "main" && rev !== repo.commit) return fail(404, "RevisionNotFound");
    if (api) {
      const siblings = [...repo.files].map(([name, f]) =>
        f.lfs ? { rfilename: name, size: f.data.length, blobId: gitSha1(Buffer.from("pointer " + f.sha256)), lfs: { sha256: f.sha256, size: f.data.length, pointerSize: 130 } } : { rfilename: name, size: f.data.length, blobId: f.gitSha1 });
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: repoId, sha: repo.commit, siblings }));
    }
    const name = decodeURIComponent(resolve![3]);
    const f = repo.files.get(name);
    const common = { "x-repo-commit": repo.commit };
    if (!f) return fail(404, "EntryNotFound", common);
    if (f.lfs) {
      const location = `${origin(cdn)}/blobs/${f.sha256}?${new URLSearchParams({ repo: repoId!, file: name })}`;
      return void res.writeHead(302, { ...common, location, etag: `"${gitSha1(Buffer.from("pointer " + f.sha256))}"`, "x-linked-etag": `"${f.sha256}"`, "x-linked-size": String(f.data.length) }).end();
    }
    sendBytes(req, res, body(name, f.data), { ...common, etag: `"${f.gitSha1}"` }, req.method === "GET" ? takeDrop(name) : undefined);
  });

  return {
    url: origin(hub),
    addRepo(repoId, files, opts = {}) {
      const commit = createHash("sha1").update(`${repoId}${Date.now()}${Math.random()}`).digest("hex");
      const map: Repo["files"] = new Map();
      for (const [name, content] of Object.entries(files)) {
        const data = Buffer.from(content);
        map.set(name, { data, lfs: isLfs(name), sha256: createHash("sha256").update(data).digest("hex"), gitSha1: gitSha1(data) });
      }
      repos.set(repoId, { commit, files: map, token: opts.token });
      return commit;
    },
    dropAfter: (file, afterBytes, times = 1, mode = "cut") => void drops.set(file, { afterBytes, times, mode }),
    corrupt: (file, on = true) => void (on ? corrupted.add(file) : corrupted.delete(file)),
    requests,
    async close() {
      for (const s of [hub, cdn]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
