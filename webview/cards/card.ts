/**
 * One artifact's card, standing where its block is in the answer: kind, path, status, problems (each opens
 * its line in the Source tab), the actions, and the tabs Rendered (endpoints, tables, the diagram) and
 * Source (the answer's own block). Renderers load on first use, in chunks of their own.
 */
import type { ArtifactActionName, ArtifactView, WebviewMessage } from '../../src/protocol';
import type { SaveImage } from '../diagramViewer';
import { drawDiagram } from '../diagrams';
import { domId, el } from '../dom';
import { makeButton } from '../ui/toolkit';
import { highlightBlock } from '../highlight/highlight';
import { numberLines, revealLine } from './sourceView';
import { Tabs } from './tabs';
import { badgeOf, writeStateOf } from './cardModel';

/** What a card needs from the answer it belongs to. */
export interface CardHost {
  turnId: string;
  post(message: WebviewMessage): void;
  /** True while the answer streams: diagrams wait for its end (drawing one blocks the page for a moment). */
  streaming(): boolean;
}

export const kindLabel: Record<string, string> = { openapi: 'OpenAPI', mermaid: 'Diagram', sql: 'SQL', adr: 'ADR', json: 'JSON', yaml: 'YAML', code: 'Code' };

/** Kinds with a Rendered tab. */
const rendered = new Set(['openapi', 'sql', 'mermaid']);

export class ArtifactCard {
  readonly root: HTMLElement;
  private view: ArtifactView;
  private readonly head = el('div', 'file-card-head');
  private readonly renderedPanel = el('div', 'tab-panel rendered');
  private readonly sourcePanel = el('div', 'tab-panel source');
  private readonly tabs?: Tabs;
  private pre?: HTMLElement;
  /** The model (or diagram text) the Rendered tab shows now, to draw it again only when it changed. */
  private renderedKey = '';

  constructor(view: ArtifactView, private readonly host: CardHost, private readonly derivedSource?: () => string | undefined) {
    this.view = view;
    this.root = el('article', 'file-card');
    this.root.dataset.card = '';
    this.root.dataset.artifactId = view.id;
    const prefix = domId(`card-${host.turnId}`, view.id);
    this.root.setAttribute('aria-labelledby', `${prefix}-title`);
    this.root.append(this.head);
    if (rendered.has(view.kind)) {
      this.tabs = new Tabs([{ id: 'rendered', label: 'Rendered', panel: this.renderedPanel }, { id: 'source', label: 'Source', panel: this.sourcePanel }],
        prefix, `${kindLabel[view.kind] ?? view.kind} ${view.path ?? ''}`.trim());
      this.root.append(this.tabs.list, this.renderedPanel, this.sourcePanel);
      this.tabs.onSelect(id => { if (id === 'rendered') { this.drawRendered(); } else { this.colourSource(); } });
    } else {
      this.root.append(this.sourcePanel);
    }
    if (derivedSource) {
      const pre = el('pre', 'derived-source');
      pre.append(el('code', `language-${view.language}`, derivedSource() ?? ''));
      this.attachSource(pre);
    }
    this.update(view);
  }

  get id(): string { return this.view.id; }
  get source(): HTMLElement | undefined { return this.pre; }

  /** Puts the answer's block in the Source tab (moving it out of the answer's flow, into this card). */
  attachSource(pre: HTMLElement): void {
    if (this.pre === pre && pre.parentElement === this.sourcePanel) { return; }
    this.pre = pre;
    this.sourcePanel.replaceChildren(pre);
    this.renderedKey = '';
    this.renderHead();
    this.drawRendered();
    if (!this.tabs && !this.host.streaming()) { this.colourSource(); }
  }

  /** Colours the Source tab (highlight.js, loaded on first use); it is plain text until then. */
  private colourSource(): void {
    if (this.pre) { void highlightBlock(this.pre); }
  }

  update(view: ArtifactView): void {
    this.view = view;
    this.root.dataset.status = view.status;
    this.renderHead();
    this.drawRendered();
  }

  /** Draws what waited for the answer to end (the diagram). */
  answerEnded(): void {
    this.drawRendered();
    if (!this.tabs || this.tabs.selected === 'source') { this.colourSource(); }
  }

  private renderHead(): void {
    const a = this.view;
    const prefix = domId(`card-${this.host.turnId}`, a.id);
    const title = el('div', 'file-title');
    title.id = `${prefix}-title`;
    const badge = badgeOf(a);
    const status = el('span', `file-status ${badge.className}`, badge.text);
    status.title = badge.title;
    title.append(el('span', 'file-kind', a.title ? 'Derived' : (kindLabel[a.kind] ?? a.kind)), el('span', 'file-path', a.path ?? '(no path given)'), status);
    const parts: HTMLElement[] = [title];
    if (a.title) { parts.push(el('div', 'file-derived', a.title)); }
    if (a.written) { parts.push(el('div', 'file-written', `Written to ${a.written}`)); }
    else if (a.write) { parts.push(this.verdictLine(prefix)); }
    if (a.changes?.length) {
      const ul = el('ul', 'file-changes');
      for (const c of a.changes) { ul.append(el('li', '', c)); }
      parts.push(ul);
    }
    if (a.problems.length) { parts.push(this.problemList()); }
    parts.push(this.actions());
    this.head.replaceChildren(...parts);
  }

  /** The writer's verdict on this file's path, judged by the host before any click. */
  private verdictLine(prefix: string): HTMLElement {
    const w = writeStateOf(this.view);
    const line = el('div', `file-verdict verdict-${w.action ?? 'unknown'}`, w.words ?? '');
    line.id = `${prefix}-verdict`;
    return line;
  }

  private problemList(): HTMLElement {
    const ul = el('ul', 'file-problems');
    ul.setAttribute('aria-label', 'Problems');
    for (const p of this.view.problems) {
      const li = el('li', `problem-${p.severity}`);
      const where = `line ${p.line}${p.column ? `:${p.column}` : ''}`;
      if (this.pre || this.derivedSource) {
        const b = el('button', 'problem-line', where);
        b.type = 'button';
        b.title = 'Show this line in the Source tab';
        b.setAttribute('aria-label', `${where}: show in the source`);
        b.addEventListener('click', () => this.showLine(p.line));
        li.append(b, document.createTextNode(`: ${p.message}`));
      } else {
        li.textContent = `${where}: ${p.message}`;
      }
      ul.append(li);
    }
    return ul;
  }

  /** Opens the Source tab on line `n` of the block. */
  showLine(n: number): void {
    if (!this.pre) { return; }
    this.tabs?.select('source', true);
    revealLine(this.pre, n);
  }

  private actions(): HTMLElement {
    const a = this.view;
    const run = (action: ArtifactActionName) => (): void => this.host.post({ type: 'artifact/run', turnId: this.host.turnId, artifactId: a.id, action });
    const name = a.path ?? kindLabel[a.kind] ?? a.kind;
    const { blocked, words } = writeStateOf(a);
    const box = el('div', 'file-actions');
    const write = a.written
      ? makeButton('Open', { title: `Open ${a.written}`, ariaLabel: `Open ${a.written}`, className: 'file-action', onClick: run('open') })
      : makeButton('Write to Workspace', {
        title: a.partial ? 'The block was cut off; it cannot be written' : blocked ?? `Confirm the path, then write (${words ?? 'a diff first if the file exists'})`,
        ariaLabel: blocked ? `Write ${name} to the workspace: unavailable, ${blocked}` : `Write ${name} to the workspace`,
        className: 'file-action write-one', disabled: !!a.partial || a.status === 'checking' || !!blocked, onClick: run('write'),
      });
    if (!a.written && a.write) { write.setAttribute('aria-describedby', `${domId(`card-${this.host.turnId}`, a.id)}-verdict`); }
    box.append(
      write,
      makeButton('Show Diff', { title: 'Compare with the file on disk', ariaLabel: `Show the diff of ${name}`, secondary: true, className: 'file-action', onClick: run('diff') }),
      makeButton('Copy', { title: 'Copy the content', ariaLabel: `Copy ${name}`, secondary: true, className: 'file-action', onClick: run('copy') }),
      ...(a.migration ? [makeButton('Write as Migration', {
        title: blocked ?? `Write the change to this schema as the next ${a.migration.tool} migration in ${a.migration.folder} (steps that lose data are confirmed first)`,
        ariaLabel: blocked ? `Write ${name} as the next ${a.migration.tool} migration: unavailable, ${blocked}` : `Write ${name} as the next ${a.migration.tool} migration`,
        secondary: true, className: 'file-action write-migration', disabled: !!blocked, onClick: run('migration'),
      })] : []),
    );
    return box;
  }

  /** The Rendered tab, drawn when it is shown and what it shows changed. */
  private drawRendered(): void {
    if (!this.tabs || this.tabs.selected !== 'rendered') { return; }
    const a = this.view;
    const panel = this.renderedPanel;
    const prefix = domId(`card-${this.host.turnId}`, a.id);
    if (a.kind === 'openapi' && a.endpoints) {
      const model = a.endpoints;
      if (this.once(JSON.stringify(model))) {
        void import('../renderers/endpointView').then(m => m.renderEndpoints(model, panel, prefix));
      }
    } else if (a.kind === 'sql' && a.tables) {
      const model = a.tables;
      // Its ER diagram waits for the answer's end: drawn again then.
      if (this.once(`${this.host.streaming()}:${JSON.stringify(model)}`)) {
        void import('../renderers/tableView').then(m => m.renderTables(model, panel, prefix, () => this.host.streaming(), this.saveImage()));
      }
    } else if (a.kind === 'mermaid') {
      const text = this.derivedSource?.() ?? this.pre?.textContent ?? '';
      if (this.host.streaming()) {
        if (this.once('waiting')) { panel.replaceChildren(el('p', 'rendered-note', 'The diagram is drawn when the answer is complete.')); }
      } else if (text && this.once(`diagram:${text}`)) {
        void drawDiagram(panel, text, this.saveImage());
      }
    } else if (this.once(`note:${a.status}`)) {
      panel.replaceChildren(el('p', 'rendered-note', a.status === 'checking' ? 'Checking…'
        : a.kind === 'openapi' ? 'This spec could not be read as OpenAPI: see the Source tab and the problems above.'
          : 'Postgres did not build this schema: see the Source tab and the problems above.'));
    }
  }

  /** Save as SVG / PNG of this card's diagram: the host names the file after this artifact. */
  private saveImage(): SaveImage {
    return (format, data) => this.host.post({ type: 'diagram/save', turnId: this.host.turnId, artifactId: this.view.id, format, data });
  }

  private once(key: string): boolean {
    if (key === this.renderedKey) { return false; }
    this.renderedKey = key;
    return true;
  }

  /** For tests and the problem buttons: the block's numbered lines. */
  sourceLines(): HTMLElement[] {
    return this.pre ? numberLines(this.pre) : [];
  }
}
