/**
 * `@architect` in VS Code's Chat view keeps no conversation of its own: each request arrives with the chat's
 * history, and this file turns that history back into the turns a Conversation continues. Pure (the edge
 * maps VS Code's ChatRequestTurn / ChatResponseTurn to PriorTurn).
 */
import type { AnswerStatusName, TurnRecord, ViewMode } from '../protocol';

/** What an answer keeps in `ChatResult.metadata`, so a follow-up can continue it exactly. JSON only. */
export interface AnswerMeta {
  /** Id of the answer's turn: the buttons under it name it. */
  answerId: string;
  mode: ViewMode;
  /** The request as the model got it (a bare `/review` becomes "Review the architecture of src"). */
  request: string;
  /** The answer's own text, without the file checks and buttons shown under it. */
  text: string;
  status: AnswerStatusName;
  /** The reviewed folder (a URI string), so follow-ups to a review keep reading it. */
  folder?: string;
}

/** One entry of the chat's history, reduced to what a follow-up needs. */
export type PriorTurn =
  | { role: 'request'; prompt: string; command?: string }
  | { role: 'response'; markdown: string; meta?: AnswerMeta; failed?: boolean };

/** Where a request goes: the mode, the turns it continues, and the folder a review reads. */
export interface ChatPlan {
  mode: ViewMode;
  turns: TurnRecord[];
  folder?: string;
}

/** The mode a slash command asks for; undefined for no command (or one we do not know). */
export function modeOfCommand(command: string | undefined): ViewMode | undefined {
  return command === 'design' || command === 'review' ? command : undefined;
}

/** Reads the metadata a response carries, if it is ours and well formed (history is data from storage). */
export function readMeta(metadata: unknown): AnswerMeta | undefined {
  const m = (metadata as { architect?: unknown } | undefined)?.architect as Partial<AnswerMeta> | undefined;
  if (!m || typeof m !== 'object' || typeof m.answerId !== 'string' || typeof m.text !== 'string' || typeof m.request !== 'string') { return undefined; }
  const mode = m.mode === 'design' || m.mode === 'review' || m.mode === 'chat' ? m.mode : 'chat';
  return { answerId: m.answerId, mode, request: m.request, text: m.text, status: typeof m.status === 'string' ? m.status : 'complete',
    folder: typeof m.folder === 'string' ? m.folder : undefined };
}

/** Wraps metadata for `ChatResult.metadata` (one key, so other fields VS Code may add never collide). */
export function writeMeta(meta: AnswerMeta): { architect: AnswerMeta } {
  return { architect: meta };
}

interface Segment { mode: ViewMode; turns: TurnRecord[]; folder?: string; }

/**
 * The conversation a request continues. A command that changes the mode (`/review` after a design) starts a
 * new conversation, so its context is read afresh; a request without one, or with the same one, continues the
 * last conversation with its mode and reviewed folder. Failed answers are kept as turns (the prompt builder
 * leaves them out).
 */
export function planChat(history: readonly PriorTurn[], command: string | undefined): ChatPlan {
  let current: Segment = { mode: 'chat', turns: [] };
  let n = 0;
  for (const t of history) {
    n += 1;
    if (t.role === 'request') {
      const asked = modeOfCommand(t.command);
      if (asked && asked !== current.mode) { current = { mode: asked, turns: [] }; }
      current.turns.push({ id: `h${n}`, role: 'user', text: t.prompt });
      continue;
    }
    const last = current.turns.at(-1);
    if (t.meta && last?.role === 'user') { last.text = t.meta.request; }
    current.turns.push({ id: t.meta?.answerId ?? `h${n}`, role: 'assistant', text: t.meta?.text ?? t.markdown, status: t.meta?.status ?? (t.failed ? 'failed' : 'complete') });
    if (t.meta?.folder) { current.folder = t.meta.folder; }
  }
  const asked = modeOfCommand(command);
  if (asked && asked !== current.mode) { return { mode: asked, turns: [] }; }
  // A request whose answer never came (the handler failed before it answered) is dropped: the model would
  // see two requests in a row.
  const turns = current.turns.filter((t, i, all) => t.role === 'assistant' || all[i + 1]?.role === 'assistant');
  return { mode: current.mode, turns, folder: current.folder };
}
