/**
 * Reads the non-string shapes of `content` that OpenAI-compatible servers send, in a delta or in a whole
 * message, and sends each piece to the channel it belongs to. Pure; no imports.
 *
 * Shapes seen in the wild (research notes in test/fixtures/llm/SOURCES.md):
 * - Mistral's reasoning models (Magistral, and others with `reasoning_effort`): an array of
 *   `{type:"thinking", thinking:[{type:"text", text}]}` and `{type:"text", text}` parts, with
 *   `{type:"reference", reference_ids}` for citations.
 * - OpenAI's content-part types: `{type:"text", text}` and `{type:"refusal", refusal}`.
 * - Images, audio and types we do not know yet: skipped, and the person is told.
 */

/** Where the pieces of one `content` value go, in the order they arrive. */
export interface PartSink {
  text(text: string): void;
  reasoning(text: string): void;
  refusal(text: string): void;
  /** A part that is not shown (an image, audio, an unknown type); `type` is safe to print. */
  skipped(type: string): void;
}

/**
 * Sends every piece of a `content` value (string, array of parts, a single part object, null) to `sink`.
 * Never throws, whatever the shape.
 */
export function readContent(content: unknown, sink: PartSink): void {
  if (typeof content === 'string') {
    if (content) sink.text(content);
  } else if (Array.isArray(content)) {
    for (const part of content) readPart(part, sink);
  } else if (content && typeof content === 'object') {
    readPart(content, sink);
  }
}

/**
 * Reads OpenRouter's `reasoning_details` (`reasoning.text`, `reasoning.summary`; `reasoning.encrypted`
 * is opaque and never shown). OpenRouter sends the same text in `reasoning` as well, so callers read
 * this only when a delta has no reasoning string.
 * @returns true when something was sent to `onReasoning`
 */
export function readReasoningDetails(details: unknown, onReasoning: (text: string) => void): boolean {
  if (!Array.isArray(details)) return false;
  let sent = false;
  for (const detail of details) {
    if (!detail || typeof detail !== 'object') continue;
    const d = detail as Record<string, unknown>;
    const text = d['type'] === 'reasoning.text' ? d['text'] : d['type'] === 'reasoning.summary' ? d['summary'] : undefined;
    if (typeof text === 'string' && text) {
      onReasoning(text);
      sent = true;
    }
  }
  return sent;
}

/** A part's `type` made safe to show in a terminal or a status line (it comes from the network). */
export function printableType(type: unknown): string {
  return typeof type === 'string' && /^[A-Za-z0-9_.:-]{1,40}$/.test(type) ? type : 'unknown';
}

function readPart(part: unknown, sink: PartSink): void {
  if (typeof part === 'string') {
    // Not a documented shape, but a bare string in the array can only be answer text.
    if (part) sink.text(part);
    return;
  }
  if (!part || typeof part !== 'object') return;
  const p = part as Record<string, unknown>;
  switch (p['type']) {
    case 'text':
      if (typeof p['text'] === 'string' && p['text']) sink.text(p['text']);
      return;
    case 'thinking':
      readThinking(p['thinking'], sink);
      return;
    case 'refusal':
      if (typeof p['refusal'] === 'string' && p['refusal']) sink.refusal(p['refusal']);
      return;
    case 'reference':
      // Mistral's citation markers point into tool results we never sent; there is nothing to show.
      return;
    default:
      sink.skipped(printableType(p['type']));
  }
}

/** Mistral nests text parts inside `thinking`; a plain string is accepted too. */
function readThinking(thinking: unknown, sink: PartSink): void {
  if (typeof thinking === 'string') {
    if (thinking) sink.reasoning(thinking);
    return;
  }
  if (!Array.isArray(thinking)) return;
  for (const inner of thinking) {
    if (typeof inner === 'string') {
      if (inner) sink.reasoning(inner);
    } else if (inner && typeof inner === 'object') {
      const text = (inner as Record<string, unknown>)['text'];
      if (typeof text === 'string' && text) sink.reasoning(text);
    }
  }
}
