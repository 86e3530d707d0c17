/**
 * How a stream that ended on its own is reported: the status a finish reason stands for, and the words a
 * person reads when the model wrote nothing or declined. Pure; no imports at run time.
 */
import type { AnswerError, AnswerStatus } from './types';

/** Longest refusal text kept; a refusal is a sentence or two, anything longer is cut. */
const REFUSAL_LIMIT = 2000;

/** The status a `finish_reason` stands for; unknown reasons (`end_turn`, `eos`) count as done. */
export function finishStatus(reason: string): AnswerStatus {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'filtered';
  // Anthropic's name for a declined answer, passed through by some gateways.
  if (reason === 'refusal') return 'refused';
  return 'complete';
}

/**
 * True when the answer holds something to read. Whitespace alone is not an answer: models that spend
 * their whole budget thinking often end with a stray newline.
 */
export function hasAnswerText(text: string): boolean {
  return /\S/.test(text);
}

/**
 * The error of an answer that ended without text or tool calls (status `empty`).
 * @param afterThinking the model sent reasoning before it stopped
 */
export function emptyAnswerError(afterThinking: boolean): AnswerError {
  const what = afterThinking
    ? 'The model stopped after thinking, without writing an answer.'
    : 'The model ended its answer without writing anything.';
  return { kind: 'empty', message: `${what} Retry, or choose another model.`, actions: ['retry', 'selectModel'] };
}

/** The error of a declined answer (status `refused`), carrying what the model said. */
export function refusedError(refusal: string): AnswerError {
  const said = refusal.trim();
  const message = !said ? 'No reason was given.' : said.length > REFUSAL_LIMIT ? `${said.slice(0, REFUSAL_LIMIT)}…` : said;
  return { kind: 'refused', message, actions: ['retry'] };
}
