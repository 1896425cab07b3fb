import { Template } from "@huggingface/jinja";
import { EngineError } from "@/lib/engine/errors";
import type { ChatMessage } from "./types";

/**
 * A compiled chat template. Compiling once matters: parsing a Qwen-sized
 * template costs more than rendering it.
 */
export class ChatTemplate {
  private readonly template: Template;

  constructor(
    readonly source: string,
    private readonly specialTokens: Readonly<Record<string, string>>,
    private readonly origin: string,
  ) {
    try {
      this.template = new Template(source);
    } catch (err) {
      throw new EngineError(`chat_template cannot be parsed: ${(err as Error).message}`, origin);
    }
  }

  render(messages: ChatMessage[], addGenerationPrompt: boolean): string {
    try {
      return this.template.render({
        messages: messages.map((m) => ({ ...m })),
        add_generation_prompt: addGenerationPrompt,
        ...this.specialTokens,
      });
    } catch (err) {
      throw new EngineError(`chat_template failed to render: ${(err as Error).message}`, this.origin);
    }
  }
}
