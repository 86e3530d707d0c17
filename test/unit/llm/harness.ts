/** Shared helpers for the model-client tests: one call to `streamChat` with everything it emitted. */
import { streamChat, type StreamOptions } from '../../../src/llm/openaiStream';
import type { ChatMessage, ChatResult, EndpointConfig } from '../../../src/llm/types';
import type { ModelServer, RecordedRequest } from '../../support/modelServer';

export interface Outcome {
  result: ChatResult;
  deltas: string[];
  reasoning: string[];
  statuses: string[];
  elapsedMs: number;
}

export const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a backend architect.' },
  { role: 'user', content: 'Design a queue.' },
];

/** Short watchdogs so that stalls fail in well under a second. */
export function endpointFor(server: ModelServer, extra: Partial<EndpointConfig> = {}): EndpointConfig {
  return { baseURL: server.url, model: 'test-model', firstTokenTimeoutMs: 800, idleTimeoutMs: 800, ...extra };
}

export interface RunOptions {
  endpoint?: Partial<EndpointConfig>;
  signal?: AbortSignal;
  options?: StreamOptions;
  onDelta?: (text: string, count: number) => void;
}

/** Runs one `streamChat` call against `server`, collecting every callback. */
export async function run(server: ModelServer, opts: RunOptions = {}): Promise<Outcome> {
  const deltas: string[] = [];
  const reasoning: string[] = [];
  const statuses: string[] = [];
  const started = Date.now();
  const result = await streamChat(
    { endpoint: endpointFor(server, opts.endpoint), messages: MESSAGES },
    {
      onDelta: (text) => {
        deltas.push(text);
        opts.onDelta?.(text, deltas.length);
      },
      onReasoning: (text) => reasoning.push(text),
      onStatus: (message) => statuses.push(message),
    },
    opts.signal,
    opts.options,
  );
  return { result, deltas, reasoning, statuses, elapsedMs: Date.now() - started };
}

/** Requests to the chat route only. */
export function chatRequests(server: ModelServer): RecordedRequest[] {
  return server.requests.filter((r) => r.path.endsWith('/chat/completions'));
}

/** Polls until `check` is true or `ms` passed; returns whether it became true. */
export async function eventually(check: () => boolean, ms = 1000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}
