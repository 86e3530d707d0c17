/**
 * For views written against the browser's globals (`document`, `HTMLElement`, ...): binds the shared jsdom
 * window's for the duration of a suite and removes them after, so other suites still see plain Node.
 */
import { dom } from './domWindow';

const names = ['document', 'window', 'HTMLElement', 'HTMLDetailsElement', 'HTMLInputElement', 'Node', 'Event', 'KeyboardEvent', 'MutationObserver'] as const;

/** Call at the top of a describe(): installs the globals before its tests, removes them after. */
export function useBrowserGlobals(): void {
  const saved = new Map<string, PropertyDescriptor | undefined>();
  before(() => {
    for (const name of names) {
      saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
      Object.defineProperty(globalThis, name, { value: (dom.window as unknown as Record<string, unknown>)[name], configurable: true, writable: true });
    }
  });
  after(() => {
    for (const name of names) {
      const d = saved.get(name);
      if (d) { Object.defineProperty(globalThis, name, d); } else { delete (globalThis as Record<string, unknown>)[name]; }
    }
  });
}
