/**
 * The cards of one answer, each placed where its block is: a block that closed gets its card around it
 * (its code moves into the card's Source tab); the block still being written gets a placeholder. Cards
 * whose block cannot be found (and the buttons for all files: Write All, Undo) sit at the answer's end.
 * Placement is idempotent and runs after every render and every update of the cards.
 */
import type { ArtifactView, WebviewMessage } from '../../src/protocol';
import { el } from '../dom';
import { makeButton, setDisabled } from '../ui/toolkit';
import { ArtifactCard, kindLabel, type CardHost } from './card';
import { offeredToWriteAll } from './cardModel';

export interface AnswerCardsOptions {
  turnId: string;
  /** The rendered answer (the markdown container). */
  content: HTMLElement;
  /** The section at the answer's end: the files head, and cards without a block. */
  files: HTMLElement;
  post(message: WebviewMessage): void;
  streaming(): boolean;
  /** The `<pre>` of the block still being written, if any. */
  openBlock(): HTMLElement | undefined;
}

const placeholderClass = 'file-card placeholder';
const writeAllTitle = 'Lists every complete, valid file and what writing it does; tick, then one confirmation writes them (existing files get a diff first). Alt+W comes here.';

export class AnswerCards {
  private views: ArtifactView[] = [];
  private readonly cards = new Map<string, ArtifactCard>();
  private readonly host: CardHost;
  private readonly head: HTMLElement;
  private readonly heading = el('h3');
  private readonly writeAll: HTMLElement;
  private readonly orphans = el('div', 'files-orphans');

  constructor(private readonly o: AnswerCardsOptions) {
    this.host = { turnId: o.turnId, post: m => o.post(m), streaming: () => o.streaming() };
    this.head = el('div', 'files-head');
    this.writeAll = makeButton('Write All', {
      title: writeAllTitle,
      className: 'file-action write-all', onClick: () => o.post({ type: 'artifact/writeAll', turnId: o.turnId }),
    });
    const undo = makeButton('Undo Last Write', {
      title: 'Put back everything the last write did (Backend Architect: Undo Last Write)', secondary: true,
      className: 'file-action undo-write', onClick: () => o.post({ type: 'artifact/undo' }),
    });
    this.head.append(this.heading, this.writeAll, undo);
  }

  /** The answer's artifacts changed (a block closed, a check finished, a file was written). */
  update(views: ArtifactView[]): void {
    this.views = views;
    for (const v of views) {
      const card = this.cards.get(v.id);
      if (card) { card.update(v); } else { this.cards.set(v.id, this.makeCard(v)); }
    }
    for (const [id, card] of this.cards) {
      if (!views.some(v => v.id === id)) { card.root.remove(); this.cards.delete(id); }
    }
    this.place();
  }

  /** The answer ended: diagrams are drawn, cards without a block move to the end. */
  ended(): void {
    for (const c of this.cards.values()) { c.answerEnded(); }
    this.place();
  }

  /** The card of an artifact, for tests and keyboard shortcuts. */
  card(id: string): ArtifactCard | undefined {
    return this.cards.get(id);
  }

  private makeCard(v: ArtifactView): ArtifactCard {
    if (!v.title) { return new ArtifactCard(v, this.host); }
    // A file the checker derived (the ER diagram of the schema): its text is in the parent's table model.
    const parentId = v.id.replace(/d\d+$/, '');
    return new ArtifactCard(v, this.host, () => this.views.find(x => x.id === parentId)?.tables?.er);
  }

  /** Puts every card where it belongs; see the file's comment. */
  place(): void {
    const content = this.o.content;
    const blocks = new Map<number, HTMLElement>();
    for (const pre of Array.from(content.querySelectorAll<HTMLElement>('pre[data-line]'))) {
      if (pre.classList.contains('derived-source')) { continue; }
      const line = Number(pre.dataset.line);
      if (!blocks.has(line)) { blocks.set(line, pre); }
    }
    const open = this.o.openBlock();
    const unplaced: ArtifactCard[] = [];
    let previous: ArtifactCard | undefined;
    for (const v of this.views) {
      const card = this.cards.get(v.id)!;
      if (v.title) {
        // Right after the card it was derived from, wherever that one is.
        if (previous?.root.isConnected && previous.root.nextElementSibling !== card.root) { previous.root.after(card.root); }
        else if (!previous?.root.isConnected) { unplaced.push(card); }
        continue;
      }
      previous = card;
      const pre = v.line !== undefined ? blocks.get(v.line) : undefined;
      if (!pre || pre === open) { unplaced.push(card); continue; }
      if (pre.closest('[data-card]') !== card.root) {
        pre.before(card.root);
        card.attachSource(pre);
      }
    }
    this.placeholders(open);
    this.renderEnd(unplaced);
  }

  /** A placeholder above the block being written; gone once its block closed. */
  private placeholders(open: HTMLElement | undefined): void {
    for (const p of Array.from(this.o.content.querySelectorAll<HTMLElement>('.placeholder'))) {
      if (!open || p.nextElementSibling !== open || !this.o.streaming()) { p.remove(); }
    }
    if (!open || !this.o.streaming() || (open.previousElementSibling as HTMLElement | null)?.classList.contains('placeholder')) { return; }
    const info = open.dataset.info ?? '';
    const language = info.split(/\s/)[0];
    const path = /(?:file|path|filename)\s*[=:]\s*"?([^\s"]+)/.exec(info)?.[1];
    const holder = el('div', placeholderClass);
    holder.setAttribute('role', 'status');
    holder.textContent = `Writing ${path ?? (kindLabel[language] ?? language) ?? 'a block'}… its card and checks appear when the block is complete.`;
    open.before(holder);
  }

  /** The files head and the cards that have no block in the answer. */
  private renderEnd(unplaced: ArtifactCard[]): void {
    const files = this.o.files;
    if (!this.views.length) { files.replaceChildren(); return; }
    const writable = this.views.filter(offeredToWriteAll);
    this.heading.textContent = `Files (${this.views.length})`;
    setDisabled(this.writeAll, writable.length === 0);
    const off = this.views.find(a => a.write?.action === 'off')?.write?.words;
    this.writeAll.title = off ? `Not written: ${off}` : writeAllTitle;
    this.writeAll.setAttribute('aria-label', off ? `Write all: unavailable, ${off}` : `Write all ${writable.length} files of this answer to the workspace`);
    // While the answer streams a card may wait a moment for its block's render: it is not moved to the end.
    const shown = this.o.streaming() ? unplaced.filter(c => c.root.isConnected && this.orphans.contains(c.root)) : unplaced;
    for (const c of shown) { if (c.root.parentElement !== this.orphans) { this.orphans.append(c.root); } }
    if (files.firstChild !== this.head || files.lastChild !== this.orphans) { files.replaceChildren(this.head, this.orphans); }
  }
}
