/** Shapes shared by every model client. Imports nothing at run time. */
import type { ModelInfo } from '../protocol';

/**
 * One message of a conversation with a model. An assistant message may carry the tool calls it made; each
 * call's result follows as a `tool` message naming the call.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Assistant messages: the tools the model called in that turn. */
  toolCalls?: ToolCall[];
  /** Tool messages: the id of the call this is the result of. */
  toolCallId?: string;
}

/** A tool call as the model made it: `arguments` is the JSON text it wrote (possibly not valid JSON). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A tool offered to the model: its name, what it does and a JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Where and how to reach an OpenAI-compatible endpoint. */
export interface EndpointConfig {
  /** Base URL including the API prefix, e.g. `http://127.0.0.1:11434/v1`. */
  baseURL: string;
  /** Undefined for endpoints that need no key (Ollama, LM Studio). */
  apiKey?: string;
  model: string;
  headers?: Record<string, string>;
  /** Time allowed until response headers arrive (ms). */
  requestTimeoutMs?: number;
  /** Time allowed from the request until the first content or reasoning delta (ms). */
  firstTokenTimeoutMs?: number;
  /** Longest gap allowed between two deltas once the answer started (ms). */
  idleTimeoutMs?: number;
  /** Retries before the response starts (429 with a short Retry-After, 5xx, connection errors). */
  maxRetries?: number;
  /**
   * Azure OpenAI: `baseURL` is the resource endpoint (`https://NAME.openai.azure.com`), `model` the
   * deployment name; requests go through the openai package's Azure client (api-key header, api-version).
   */
  azure?: { apiVersion: string };
}

export interface ChatRequest {
  endpoint: EndpointConfig;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  /** Tools the model may call; none means a plain answer. */
  tools?: ToolSpec[];
  /** `none` asks the model to answer without calling a tool (the tools stay described for the history). */
  toolChoice?: 'auto' | 'none';
}

/** How an answer ended, as the person is told. */
export type AnswerStatus =
  | 'complete'   // finish_reason stop (or any unknown finish reason): the model said it was done
  | 'stopped'    // the person pressed Stop
  | 'truncated'  // the stream ended without a finish_reason
  | 'filtered'   // finish_reason content_filter
  | 'length'     // finish_reason length: hit the max-tokens limit
  | 'empty'      // the model said it was done but wrote no text (whitespace at most) and called no tool
  | 'refused'    // the model declined (OpenAI's `refusal` field or part, finish_reason `refusal`)
  | 'failed';    // an error before or during the stream

/** What a person can do about a failure; the UI turns each into a button. */
export type ErrorAction = 'setApiKey' | 'selectModel' | 'openSettings' | 'retry';

export interface AnswerError {
  /** Short machine-readable kind, e.g. `auth`, `not-found`, `connection`, `rate-limit`, `quota`, `server`, `malformed`, `first-token-timeout`, `idle-timeout`, `not-a-stream`, `empty`, `refused`. */
  kind: string;
  /** One or two sentences a person can act on. Never contains the key. */
  message: string;
  actions: ErrorAction[];
  httpStatus?: number;
}

export interface TokenUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

export interface ChatResult {
  status: AnswerStatus;
  /** The answer text as received so far (kept on failure). */
  text: string;
  /** Reasoning ("thinking") text, never part of `text`. */
  reasoning: string;
  finishReason?: string;
  usage?: TokenUsage;
  /** Why there is no answer, and what to do: set when `status` is `failed`, `empty` or `refused`. */
  error?: AnswerError;
  /** What the model said when it declined (status `refused`). */
  refusal?: string;
  /** Things the person should know that did not stop the answer, e.g. a part of the answer that is not shown. */
  notes?: string[];
  /** Model id the server reported, when it did. */
  model?: string;
  /** The tools the model called in this answer, assembled from the streamed pieces, in order. */
  toolCalls?: ToolCall[];
}

export interface StreamHandlers {
  /** Answer text, in order, as it arrives. */
  onDelta(text: string): void;
  /** Reasoning text (reasoning_content, reasoning, <think> blocks). */
  onReasoning?(text: string): void;
  /** Transient progress a person should see, e.g. "Rate limited, retrying in 2 s". */
  onStatus?(message: string): void;
}

/** Streams one answer: the shape of every model client (`streamChat`, the VS Code Language Model API). */
export type ChatStreamFn = (request: ChatRequest, handlers: StreamHandlers, signal?: AbortSignal) => Promise<ChatResult>;

/** The endpoint a request will go to and how the view names it, or why there is none (no key, no model...). */
export type ResolvedEndpoint = { endpoint: EndpointConfig; info: ModelInfo } | { error: AnswerError; info: ModelInfo };
