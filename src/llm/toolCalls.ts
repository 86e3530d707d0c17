/**
 * Tool calls put together from streamed `delta.tool_calls` pieces, whatever the server's habits: OpenAI
 * sends a call's id and name first and its arguments in many small pieces, keyed by `index`; others send
 * each call whole in one chunk, repeat the name in every piece, leave `index` out (Gemini), give parallel
 * calls the same index with different ids (some Ollama versions) or send `arguments` as an object. Every
 * field is untrusted. Pure; no I/O.
 */
import type { ToolCall } from './types';

interface Pending {
  id: string;
  name: string;
  arguments: string;
}

/** Collects the tool-call pieces of one answer, in the order the calls began. */
export class ToolCallAssembler {
  private readonly calls: Pending[] = [];
  /** The call each `index` currently stands for. */
  private readonly byIndex = new Map<number, Pending>();

  /** True once any piece named or began a call. */
  get started(): boolean {
    return this.calls.length > 0;
  }

  /** One delta's `tool_calls` array (anything else is ignored). */
  push(raw: unknown): void {
    if (!Array.isArray(raw)) { return; }
    for (const item of raw) {
      if (item && typeof item === 'object') { this.pushOne(item as Record<string, unknown>); }
    }
  }

  /** The legacy `delta.function_call` (`{ name, arguments }`, one call per answer), still sent by a few servers. */
  pushLegacy(raw: unknown): void {
    if (raw && typeof raw === 'object') { this.pushOne({ index: 0, function: raw }); }
  }

  /** The calls that got a name, with an id each (made up when the server sent none, unique either way). */
  result(): ToolCall[] {
    const seen = new Set<string>();
    const out: ToolCall[] = [];
    this.calls.forEach((c, i) => {
      if (!c.name) { return; }
      let id = c.id || `call_${i + 1}`;
      while (seen.has(id)) { id = `${id}_${i + 1}`; }
      seen.add(id);
      out.push({ id, name: c.name, arguments: c.arguments });
    });
    return out;
  }

  private pushOne(item: Record<string, unknown>): void {
    const id = typeof item.id === 'string' ? item.id : '';
    const fn = item.function && typeof item.function === 'object' ? item.function as Record<string, unknown> : {};
    const entry = this.entryFor(typeof item.index === 'number' ? item.index : undefined, id);
    if (id && !entry.id) { entry.id = id; }
    const name = typeof fn.name === 'string' ? fn.name : '';
    // A server that repeats the whole name in every piece sends a name that starts with what we have.
    if (name) { entry.name = name.startsWith(entry.name) ? name : entry.name + name; }
    const args = fn.arguments;
    if (typeof args === 'string') {
      entry.arguments += args;
    } else if (args && typeof args === 'object') {
      // Not the OpenAI shape, but sent by some servers: the whole arguments as an object.
      entry.arguments = JSON.stringify(args);
    }
  }

  private entryFor(index: number | undefined, id: string): Pending {
    if (index === undefined) {
      // Without an index, an id starts (or continues) a call; a piece with neither continues the last one.
      const known = id ? this.calls.find(c => c.id === id) : this.calls.at(-1);
      return known ?? this.add(id);
    }
    const current = this.byIndex.get(index);
    // The same index with another id is a new call (parallel calls all sent at index 0).
    if (current && !(id && current.id && id !== current.id)) { return current; }
    const entry = this.add(id);
    this.byIndex.set(index, entry);
    return entry;
  }

  private add(id: string): Pending {
    const entry: Pending = { id, name: '', arguments: '' };
    this.calls.push(entry);
    return entry;
  }
}
