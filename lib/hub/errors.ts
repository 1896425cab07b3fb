/**
 * The one error type of the Hub client. Every message names the model id (and
 * the file when one is at fault) and says what to do; none ever holds the token.
 */
export type HubErrorCode =
  | "bad_id" // the hf: id does not parse
  | "not_found" // no such repo, revision or file (404)
  | "unauthorized" // a token is needed (401)
  | "forbidden" // the token has no access, e.g. a gated model's terms not accepted (403)
  | "network" // the Hub or its CDN cannot be reached, or a download was cut off
  | "offline" // HF_HUB_OFFLINE is set and the cache does not hold the model
  | "integrity" // a downloaded file's sha256 / git hash or size is not the Hub's
  | "disk_full" // ENOSPC while writing into the cache
  | "protocol"; // the server answered in a way the Hub never does

export class HubError extends Error {
  readonly code: HubErrorCode;

  constructor(code: HubErrorCode, message: string) {
    super(message);
    this.name = "HubError";
    this.code = code;
  }
}
