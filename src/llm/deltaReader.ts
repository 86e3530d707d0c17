/**
 * Turns the `delta` objects of one streamed answer into answer text, reasoning, a refusal and notes,
 * whatever shape the server uses. Pure; no `vscode`, no I/O.
 */
import { type PartSink, readContent, readReasoningDetails } from './contentParts';
import { ThinkTagSplitter } from './reasoning';
import { ToolCallAssembler } from './toolCalls';
import type { StreamHandlers } from './types';

/**
 * A delta as servers really send it: `content` may be an array of parts (Mistral), and reasoning comes
 * in fields the SDK's types do not know (DeepSeek, vLLM, Ollama, OpenRouter). Every field is untrusted.
 */
export interface LooseDelta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  reasoning_details?: unknown;
  refusal?: unknown;
  tool_calls?: unknown;
  function_call?: unknown;
}

/** Everything one answer's deltas said, in the channels a person sees. */
export class DeltaReader {
  text = '';
  reasoning = '';
  refusal = '';
  /** The model called a tool: then an answer without text is not empty. */
  toolCalls = false;
  /** The tool calls, put together from their streamed pieces. */
  readonly calls = new ToolCallAssembler();
  readonly notes: string[] = [];
  private readonly splitter: ThinkTagSplitter;
  /** Receives the pieces of non-string content (part arrays) and of `reasoning_details`. */
  private readonly parts: PartSink;

  /**
   * @param handlers get text and reasoning as they arrive, and a status line per skipped part type
   * @param onToken called for every delta that carries something (the first one stops the first-token watchdog)
   */
  constructor(
    private readonly handlers: StreamHandlers,
    private readonly onToken: () => void,
  ) {
    this.splitter = new ThinkTagSplitter(
      (text) => this.emitText(text),
      (text) => this.emitReasoning(text),
    );
    this.parts = {
      text: (text) => {
        onToken();
        this.splitter.push(text);
      },
      reasoning: (text) => {
        onToken();
        this.emitReasoning(text);
      },
      refusal: (text) => {
        onToken();
        this.refusal += text;
      },
      skipped: (type) => {
        // Not shown, but the model is answering: the first-token watchdog must not fire.
        onToken();
        this.skipped(type);
      },
    };
  }

  /** One delta: reasoning first (it comes before the text it explains), then content, refusal, tool calls. */
  read(delta: LooseDelta): void {
    // vLLM (mid-rename) and mlx-vlm send the same text in both fields: read one, never both.
    const rc = delta.reasoning_content;
    const reasoning = typeof rc === 'string' && rc ? rc : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning) {
      this.onToken();
      this.emitReasoning(reasoning);
    } else if (delta.reasoning_details) {
      // OpenRouter repeats `reasoning` here; read it only when the string is missing.
      readReasoningDetails(delta.reasoning_details, this.parts.reasoning);
    }
    const content = delta.content;
    if (typeof content === 'string') {
      // The hot path: almost every delta of almost every server.
      if (content) {
        this.onToken();
        this.splitter.push(content);
      }
    } else if (content) {
      readContent(content, this.parts);
    }
    const refusal = delta.refusal;
    if (typeof refusal === 'string' && refusal) this.parts.refusal(refusal);
    const calls = delta.tool_calls;
    if (Array.isArray(calls) && calls.length > 0) {
      this.toolCalls = true;
      this.onToken();
      this.calls.push(calls);
    } else if (delta.function_call) {
      this.toolCalls = true;
      this.onToken();
      this.calls.pushLegacy(delta.function_call);
    }
  }

  /** Releases text held back by the `<think>` splitter; call once when the stream ended. */
  flush(): void {
    this.splitter.flush();
  }

  /** A part that is not shown: say so once per type, while streaming and in the result. */
  private skipped(type: string): void {
    const note = `The answer held a part of type "${type}", which is not shown.`;
    if (this.notes.includes(note)) return;
    this.notes.push(note);
    this.handlers.onStatus?.(note);
  }

  private emitText(text: string): void {
    this.text += text;
    this.handlers.onDelta(text);
  }

  private emitReasoning(text: string): void {
    this.reasoning += text;
    this.handlers.onReasoning?.(text);
  }
}
