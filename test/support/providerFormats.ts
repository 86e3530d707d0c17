/**
 * The wire shapes real OpenAI-compatible servers stream, for the test model server. Each format turns an
 * answer (text pieces, reasoning pieces) into the `delta` objects that provider sends; the sources for
 * every shape are in test/fixtures/llm/SOURCES.md. No imports: loaded by mocha, scripts and VS Code alike.
 */

export const PROVIDER_FORMATS = [
  /** Mistral reasoning models: `content` is an array of `thinking` and `text` parts; usage on the last chunk; 422 on `stream_options`. */
  'mistral',
  /** OpenAI declining: `delta.refusal` strings, `content` null. The answer's text is the refusal. */
  'openai-refusal',
  /** DeepSeek: `reasoning_content` then `content`, the other field null in each delta. */
  'deepseek',
  /** vLLM during its rename: the same reasoning in both `reasoning` and `reasoning_content`. */
  'vllm',
  /** Ollama: `delta.reasoning`, `role` repeated on every delta. */
  'ollama',
  /** OpenRouter: `reasoning` plus the same text in `reasoning_details`, an encrypted detail, a processing comment. */
  'openrouter',
  /** OpenRouter with reasoning only in `reasoning_details` (a summary, then text details). */
  'openrouter-details',
  /** Gemini's OpenAI-compatible endpoint with thought summaries: `<thought>…</thought>` leading the content. */
  'gemini-thought',
  /** Content part arrays mixing text with an image, an unknown type, a citation, null, a bare string. */
  'parts-mixed',
] as const;

export type ProviderFormat = (typeof PROVIDER_FORMATS)[number];

type Delta = Record<string, unknown>;

export interface FormatPlan {
  /** Deltas in order, one chunk each; a string is written as an SSE comment instead. */
  deltas: Array<Delta | string>;
  /** The delta of the chunk that carries `finish_reason`. */
  last: Delta;
  /** Usage rides on the finish chunk whether or not it was asked for (Mistral). */
  usageOnFinish?: boolean;
}

/** Servers that answer 422 when a request carries `stream_options` (Mistral's strict validation). */
export function rejectsStreamOptions(format: ProviderFormat | undefined): boolean {
  return format === 'mistral';
}

/** Mistral's 422 for a field it does not know, as reported against api.mistral.ai. */
export const MISTRAL_EXTRA_FORBIDDEN = {
  object: 'error',
  message: {
    detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options', 'include_usage'], msg: 'Extra inputs are not permitted', input: true }],
  },
  type: 'invalid_request_error',
  param: null,
  code: null,
};

/** The deltas of one streamed answer in `format`. */
export function formatPlan(format: ProviderFormat, text: string[], reasoning: string[]): FormatPlan {
  switch (format) {
    case 'mistral':
      return mistral(text, reasoning);
    case 'openai-refusal':
      return { deltas: [{ role: 'assistant', content: null, refusal: null }, ...text.map((refusal) => ({ content: null, refusal }))], last: {} };
    case 'deepseek':
      return {
        deltas: [
          { role: 'assistant', content: null, reasoning_content: '' },
          ...reasoning.map((r) => ({ content: null, reasoning_content: r })),
          ...text.map((t) => ({ content: t, reasoning_content: null })),
        ],
        last: { content: '', reasoning_content: null },
      };
    case 'vllm':
      return {
        deltas: [{ role: 'assistant', content: '' }, ...reasoning.map((r) => ({ reasoning: r, reasoning_content: r })), ...text.map((content) => ({ content }))],
        last: {},
      };
    case 'ollama':
      return {
        deltas: [...reasoning.map((r) => ({ role: 'assistant', content: '', reasoning: r })), ...text.map((content) => ({ role: 'assistant', content }))],
        last: { role: 'assistant', content: '' },
      };
    case 'openrouter':
      return openrouter(text, reasoning);
    case 'openrouter-details':
      return {
        deltas: [
          { role: 'assistant', content: '' },
          ...reasoning.map((r, i) => ({ content: '', reasoning_details: [detail(i === 0 ? 'reasoning.summary' : 'reasoning.text', r, i)] })),
          ...text.map((content) => ({ content })),
        ],
        last: { content: '' },
      };
    case 'gemini-thought':
      return geminiThought(text, reasoning);
    case 'parts-mixed':
      return partsMixed(text);
  }
}

/** The `message` of a non-streamed answer in `format`. */
export function formatMessage(format: ProviderFormat | undefined, text: string, reasoning: string | undefined): Delta {
  if (format === 'mistral') {
    const content: unknown[] = [];
    if (reasoning) content.push({ type: 'thinking', thinking: [{ type: 'text', text: reasoning }], closed: true });
    if (text) content.push({ type: 'text', text });
    return { role: 'assistant', content, tool_calls: null };
  }
  if (format === 'openai-refusal') return { role: 'assistant', content: null, refusal: text };
  const message: Delta = { role: 'assistant', content: text };
  if (reasoning) message['reasoning_content'] = reasoning;
  return message;
}

function mistral(text: string[], reasoning: string[]): FormatPlan {
  const thinking = (t: string) => ({ type: 'thinking', thinking: [{ type: 'text', text: t }] });
  const said = (t: string) => ({ type: 'text', text: t });
  const deltas: Delta[] = [{ role: 'assistant', content: '' }];
  const thoughts = reasoning.map(thinking);
  const words = text.map(said);
  // Where thinking turns into the answer, one delta carries both parts.
  const joint = thoughts.length > 0 && words.length > 0 ? [thoughts.pop(), words.shift()] : undefined;
  deltas.push(...thoughts.map((part) => ({ content: [part] })));
  if (joint) deltas.push({ content: joint });
  deltas.push(...words.map((part) => ({ content: [part] })));
  return { deltas, last: { content: '' }, usageOnFinish: true };
}

function detail(type: string, text: string, index: number): Delta {
  const field = type === 'reasoning.summary' ? 'summary' : 'text';
  return { type, [field]: text, id: null, format: 'anthropic-claude-v1', index, ...(field === 'text' && { signature: null }) };
}

function openrouter(text: string[], reasoning: string[]): FormatPlan {
  const encrypted = { type: 'reasoning.encrypted', data: 'gAAAAABpZXhhbXBsZQ==', id: 'rs_1', format: 'openai-responses-v1', index: 1 };
  return {
    deltas: [
      'OPENROUTER PROCESSING',
      { role: 'assistant', content: '' },
      ...reasoning.map((r) => ({ role: 'assistant', content: '', reasoning: r, reasoning_details: [detail('reasoning.text', r, 0)] })),
      ...(reasoning.length > 0 ? [{ role: 'assistant', content: '', reasoning: null, reasoning_details: [encrypted] }] : []),
      ...text.map((content) => ({ role: 'assistant', content })),
    ],
    last: { role: 'assistant', content: '' },
  };
}

function geminiThought(text: string[], reasoning: string[]): FormatPlan {
  const pieces = [...reasoning];
  if (pieces.length > 0) {
    pieces[0] = `<thought>${pieces[0]}`;
    pieces[pieces.length - 1] += '</thought>';
  }
  return { deltas: [...pieces, ...text].map((content, i) => (i === 0 ? { role: 'assistant', content } : { content })), last: {} };
}

function partsMixed(text: string[]): FormatPlan {
  const deltas: Delta[] = [{ role: 'assistant', content: [] }, { content: null }];
  text.forEach((piece, i) => {
    const part = { type: 'text', text: piece };
    if (i === 0) deltas.push({ content: [part, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] });
    else if (i === 1) deltas.push({ content: [null, { type: 'x-future-part', value: 1 }, part] });
    else if (i === 2) deltas.push({ content: [{ type: '\u001b[31mred', text: 'never shown' }, { type: 'reference', reference_ids: [1] }, piece] });
    else deltas.push({ content: i % 2 ? [part] : part });
  });
  return { deltas, last: { content: '' } };
}
