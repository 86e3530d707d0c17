/**
 * The history of a workspace's conversations (Design, Review and chat): each kept as it was (text, cards
 * with their statuses and models, findings), newest first, capped in number and size, deletable. Pure: it
 * keeps its list in any key-value store with VS Code's Memento shape, so tests use a Map.
 */
import type { TurnRecord, ViewMode } from '../protocol';

/** What the store needs: VS Code's Memento (workspaceState) satisfies it. */
export interface KeyValueStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** One conversation as kept. */
export interface HistoryEntry {
  id: string;
  kind: ViewMode;
  title: string;
  /** Milliseconds since the epoch: first kept, and last changed. */
  created: number;
  updated: number;
  agent: string;
  model: string;
  turns: TurnRecord[];
}

/** What the list shows (no turns, so listing stays cheap). */
export type HistorySummary = Omit<HistoryEntry, 'turns'> & { turnCount: number };

export const HISTORY_KEY = 'backendArchitect.history';
/** At most this many conversations are kept; the oldest go first. */
export const MAX_ENTRIES = 50;
/** And at most about this many characters of JSON in all (a spec's model can be large). */
export const MAX_TOTAL_CHARS = 8_000_000;

export class ConversationHistory {
  constructor(private readonly store: KeyValueStore, private readonly now: () => number = Date.now) {}

  private all(): HistoryEntry[] {
    const raw = this.store.get<unknown>(HISTORY_KEY, []);
    return Array.isArray(raw) ? raw.filter(isEntry) : [];
  }

  /**
   * Keeps a conversation (replacing the one with the same id): `created` stays, `updated` is now. A
   * conversation with no answer yet is not kept. Older entries beyond the caps are dropped.
   */
  async save(entry: Omit<HistoryEntry, 'created' | 'updated'>): Promise<void> {
    if (!entry.turns.some(t => t.role === 'assistant' && t.text)) { return; }
    const list = this.all();
    const previous = list.find(e => e.id === entry.id);
    const next: HistoryEntry = { ...entry, created: previous?.created ?? this.now(), updated: this.now() };
    const kept = [next, ...list.filter(e => e.id !== entry.id)].sort((a, b) => b.updated - a.updated).slice(0, MAX_ENTRIES);
    let size = 0;
    const within = kept.filter((e, i) => {
      size += JSON.stringify(e).length;
      return i === 0 || size <= MAX_TOTAL_CHARS;
    });
    await this.store.update(HISTORY_KEY, within);
  }

  /** Newest first. */
  list(): HistorySummary[] {
    return this.all().sort((a, b) => b.updated - a.updated)
      .map(({ turns, ...rest }) => ({ ...rest, turnCount: turns.length }));
  }

  get(id: string): HistoryEntry | undefined {
    return this.all().find(e => e.id === id);
  }

  async delete(id: string): Promise<void> {
    await this.store.update(HISTORY_KEY, this.all().filter(e => e.id !== id));
  }

  async clear(): Promise<void> {
    await this.store.update(HISTORY_KEY, []);
  }
}

function isEntry(v: unknown): v is HistoryEntry {
  const e = v as Partial<HistoryEntry> | null;
  return !!e && typeof e.id === 'string' && typeof e.title === 'string' && Array.isArray(e.turns) && typeof e.updated === 'number';
}

/** A title for a conversation: its first request, on one line, cut at 60 characters. */
export function historyTitle(turns: TurnRecord[], fallback: string): string {
  const first = turns.find(t => t.role === 'user')?.text.replace(/\s+/g, ' ').trim();
  if (!first) { return fallback; }
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/** The model of the conversation's last answer, or empty. */
export function lastModel(turns: TurnRecord[]): string {
  return [...turns].reverse().find(t => t.role === 'assistant' && t.model)?.model ?? '';
}
