/**
 * Tabs in the WAI-ARIA pattern: a tablist of buttons, one panel shown; arrow keys, Home and End move
 * between tabs, Tab goes into the panel. Plain elements, so they cost nothing to build per card.
 */
import { el } from '../dom';

export interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
}

export class Tabs {
  readonly list: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private current = '';
  private readonly listeners: Array<(id: string) => void> = [];

  /** `prefix` keeps ids unique in the document; `label` names the tablist for screen readers. */
  constructor(private readonly tabs: Tab[], prefix: string, label: string) {
    this.list = el('div', 'tabs');
    this.list.setAttribute('role', 'tablist');
    this.list.setAttribute('aria-label', label);
    for (const t of tabs) {
      const b = el('button', 'tab', t.label);
      b.type = 'button';
      b.id = `${prefix}-tab-${t.id}`;
      b.setAttribute('role', 'tab');
      t.panel.id = `${prefix}-panel-${t.id}`;
      t.panel.setAttribute('role', 'tabpanel');
      t.panel.setAttribute('aria-labelledby', b.id);
      t.panel.tabIndex = 0;
      b.setAttribute('aria-controls', t.panel.id);
      b.addEventListener('click', () => this.select(t.id, true));
      b.addEventListener('keydown', e => this.onKey(e, t.id));
      this.buttons.set(t.id, b);
      this.list.append(b);
    }
    this.select(tabs[0].id);
  }

  get selected(): string {
    return this.current;
  }

  /** Called with the tab's id whenever one is selected (also for the first). */
  onSelect(listener: (id: string) => void): void {
    this.listeners.push(listener);
    listener(this.current);
  }

  select(id: string, focus = false): void {
    if (!this.buttons.has(id)) { return; }
    const changed = id !== this.current;
    this.current = id;
    for (const t of this.tabs) {
      const on = t.id === id;
      const b = this.buttons.get(t.id)!;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
    }
    if (focus) { this.buttons.get(id)!.focus(); }
    if (changed) { for (const l of this.listeners) { l(id); } }
  }

  private onKey(e: KeyboardEvent, id: string): void {
    const ids = this.tabs.map(t => t.id);
    const at = ids.indexOf(id);
    const next = e.key === 'ArrowRight' ? ids[(at + 1) % ids.length]
      : e.key === 'ArrowLeft' ? ids[(at - 1 + ids.length) % ids.length]
        : e.key === 'Home' ? ids[0] : e.key === 'End' ? ids[ids.length - 1] : undefined;
    if (next !== undefined) { e.preventDefault(); this.select(next, true); }
  }
}
