/**
 * The one error type the engine throws for bad input: a model file, a config
 * value, a token id. `source` names the file or field at fault so the message
 * tells the user what to fix (`config.json: hidden_size must be a positive
 * integer, got "abc"`).
 */
export class EngineError extends Error {
  readonly source: string | undefined;

  constructor(message: string, source?: string) {
    super(source ? `${source}: ${message}` : message);
    this.name = "EngineError";
    this.source = source;
  }
}

/** Throws an EngineError unless `condition` holds; keeps argument checks to one line. */
export function check(condition: unknown, message: string, source?: string): asserts condition {
  if (!condition) throw new EngineError(message, source);
}
