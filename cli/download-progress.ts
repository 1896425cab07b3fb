/**
 * The CLI's view of a Hub download: a bar redrawn in place on stderr when it
 * is a terminal, one line per file otherwise (logs, CI). Nothing is printed
 * when the model is already in the cache.
 */
import type { HubDownloadProgress } from "@/lib/hub/snapshot";

const mb = (n: number) => (n / 1e6).toFixed(1);

/** `config.json [#####---------------]  25%  1.2/4.8 MB` */
export function formatDownloadBar(p: HubDownloadProgress, width = 20): string {
  const frac = p.totalBytes > 0 ? p.bytes / p.totalBytes : 1;
  const filled = Math.round(frac * width);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `downloading ${p.file} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}  ${mb(p.bytes)}/${mb(p.totalBytes)} MB`;
}

export function stderrDownloadProgress(out: NodeJS.WriteStream = process.stderr): (p: HubDownloadProgress) => void {
  let lastDraw = 0;
  let lastFile = "";
  return (p) => {
    const finished = p.bytes >= p.totalBytes;
    if (!out.isTTY) {
      if (p.file !== lastFile) out.write(`downloading ${p.file} (${mb(p.fileSize)} MB)\n`);
      lastFile = p.file;
      if (finished) out.write(`downloaded ${mb(p.totalBytes)} MB\n`);
      return;
    }
    const now = Date.now();
    if (now - lastDraw < 100 && !finished) return;
    lastDraw = now;
    out.write(`\r${formatDownloadBar(p)}\x1b[K${finished ? "\n" : ""}`);
  };
}
