/**
 * The chat view and the Design / Review panels share this app. It renders what the host sends and sends back
 * only intents (send, stop, retry, open link, run action); the host does everything with side effects.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeTextArea, vsCodeProgressRing, vsCodeBadge } from '@vscode/webview-ui-toolkit';
import type { AgentInfo, AnswerStatusName, ArtifactActionName, ArtifactView, ErrorActionName, FindingView, HostMessage, ModelInfo, TurnRecord, ViewMode, WebviewMessage } from '../src/protocol';
import { followTheme, parseDiagram, renderDiagrams } from './diagrams';
import { StreamingMarkdownView } from './markdown/incremental';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  turns: TurnRecord[];
  draft: string;
  mode: ViewMode;
  title: string;
}

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextArea(), vsCodeProgressRing(), vsCodeBadge());

// Kept in module scope, never on window: script injected into the page must not reach it (THREATS T3).
const vscode = acquireVsCodeApi();
const post = (m: WebviewMessage): void => vscode.postMessage(m);
const mode = (document.body.dataset.mode ?? 'chat') as ViewMode;

const statusText: Record<AnswerStatusName, string> = {
  streaming: 'Writing…',
  complete: '',
  stopped: 'Stopped. The text above is what arrived before you stopped it.',
  truncated: 'Incomplete: the stream ended before the model said it was done.',
  filtered: 'The provider\'s content filter stopped this answer.',
  length: 'The answer hit the model\'s length limit.',
  empty: 'No answer.',
  refused: 'The model declined to answer.',
  failed: 'The answer failed.',
};
const actionLabel: Record<ErrorActionName, string> = {
  retry: 'Retry',
  setApiKey: 'Set API Key',
  selectModel: 'Select Model',
  openSettings: 'Open Settings',
};
const placeholder: Record<ViewMode, string> = {
  chat: 'Ask the architect… (Enter to send, Shift+Enter for a new line)',
  design: 'Describe the backend to design, or ask a follow-up… (Enter to send)',
  review: 'Ask a follow-up about this review… (Enter to send)',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined) { e.textContent = text; }
  return e;
}

/** One rendered turn: the DOM plus the streaming renderer of an answer. */
interface TurnView {
  record: TurnRecord;
  root: HTMLElement;
  content: HTMLElement;
  files: HTMLElement;
  findings: HTMLElement;
  status: HTMLElement;
  actions: HTMLElement;
  thinking: HTMLDetailsElement;
  thinkingText: HTMLElement;
  markdown?: StreamingMarkdownView;
}

const app = document.getElementById('app') as HTMLElement;
const header = el('header', 'header');
const agentLabel = el('span', 'agent');
const modelLabel = el('span', 'model');
const demoBadge = el('vscode-badge' as 'span', 'demo', 'DEMO');
demoBadge.title = 'Answers come from the recorded demo server, not a model. Configure a provider in Settings to use a real model.';
demoBadge.hidden = true;
header.append(agentLabel, demoBadge, modelLabel);
const transcript = el('section', 'transcript');
transcript.setAttribute('role', 'log');
transcript.setAttribute('aria-live', 'polite');
transcript.setAttribute('aria-label', 'Conversation');
const empty = el('div', 'empty');
const composer = el('div', 'composer');
const input = document.createElement('vscode-text-area') as HTMLElement & { value: string; placeholder: string; rows: number };
input.id = 'input';
input.setAttribute('resize', 'vertical');
input.setAttribute('aria-label', 'Message to the architect');
input.rows = 3;
input.placeholder = placeholder[mode];
const sendButton = el('vscode-button' as 'button', 'send', 'Send');
sendButton.id = 'send';
const stopButton = el('vscode-button' as 'button', 'stop', 'Stop');
stopButton.id = 'stop';
stopButton.setAttribute('appearance', 'secondary');
stopButton.title = 'Stop the answer (Escape)';
stopButton.hidden = true;
const buttons = el('div', 'buttons');
buttons.append(sendButton, stopButton);
composer.append(input, buttons);
app.append(header, transcript, empty, composer);

const turns = new Map<string, TurnView>();
let order: string[] = [];
let busy = false;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  if (saveTimer) { return; }
  // Coalesced: a state save per delta would serialise the whole transcript thousands of times.
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    vscode.setState({ turns: order.map(id => turns.get(id)!.record), draft: input.value ?? '', mode, title: document.title });
  }, 500);
}

function setBusy(value: boolean): void {
  busy = value;
  stopButton.hidden = !value;
  sendButton.toggleAttribute('disabled', value);
  document.body.classList.toggle('busy', value);
}

function updateEmpty(): void {
  empty.hidden = order.length > 0;
  empty.textContent = mode === 'chat'
    ? 'Ask about a backend: its API, services, data model or trade-offs.'
    : 'Waiting for a request…';
}

function renderActions(view: TurnView, actions: ErrorActionName[] = []): void {
  view.actions.replaceChildren(...actions.map(a => {
    const b = el('vscode-button' as 'button', 'action', actionLabel[a]);
    b.dataset.action = a;
    if (a !== 'retry') { b.setAttribute('appearance', 'secondary'); }
    b.addEventListener('click', () => post(a === 'retry' ? { type: 'answer/retry' } : { type: 'action/run', action: a }));
    return b;
  }));
}

function renderStatus(view: TurnView): void {
  const { status = 'complete', note } = view.record;
  view.root.dataset.status = status;
  view.status.replaceChildren();
  if (status === 'streaming') {
    view.status.append(el('vscode-progress-ring' as 'span', 'ring'), el('span', '', statusText.streaming));
  } else {
    const text = [statusText[status], note].filter(Boolean).join(' ');
    view.status.textContent = text;
  }
  view.status.hidden = view.status.textContent === '' && status !== 'streaming';
  renderActions(view, view.record.actions);
}

function addTurn(record: TurnRecord): TurnView {
  const root = el('article', `turn ${record.role}`);
  root.dataset.turnId = record.id;
  const meta = el('div', 'meta', record.role === 'user' ? 'You' : (record.model ? `Architect · ${record.model}` : 'Architect'));
  const thinking = el('details', 'thinking');
  thinking.append(el('summary', '', 'Thinking'));
  const thinkingText = el('pre', 'thinking-text');
  thinking.append(thinkingText);
  thinking.hidden = !record.reasoning;
  thinkingText.textContent = record.reasoning ?? '';
  const content = el('div', record.role === 'user' ? 'content user-text' : 'content markdown');
  const status = el('div', 'status');
  status.setAttribute('role', 'status');
  const actions = el('div', 'actions');
  const files = el('section', 'files');
  files.setAttribute('aria-label', 'Files in this answer');
  const findings = el('section', 'findings');
  findings.setAttribute('aria-label', 'Review findings');
  root.append(meta, thinking, findings, content, status, actions, files);
  const view: TurnView = { record, root, content, status, actions, thinking, thinkingText, files, findings };
  if (record.role === 'user') {
    content.textContent = record.text;   // a person's own words: plain text, never markup
  } else {
    view.markdown = new StreamingMarkdownView(content, { onLink: href => post({ type: 'link/open', href }) });
    if (record.text) {
      view.markdown.append(record.text);
      if (record.status === 'streaming') { view.markdown.flush(); } else { view.markdown.finish(); void renderDiagrams(content); }
    }
    renderStatus(view);
    renderArtifacts(view, record.artifacts ?? []);
    renderFindings(view, record.findings ?? []);
  }
  turns.set(record.id, view);
  order.push(record.id);
  transcript.append(root);
  updateEmpty();
  return view;
}

const statusLabel: Record<ArtifactView['status'], string> = {
  checking: 'Checking…', valid: 'Valid', repaired: 'Repaired', invalid: 'Invalid', unchecked: 'Not checked',
};
const kindLabel: Record<string, string> = { openapi: 'OpenAPI', mermaid: 'Diagram', sql: 'SQL', adr: 'ADR', json: 'JSON', yaml: 'YAML', code: 'Code' };

function button(label: string, title: string, onClick: () => void, secondary = true, disabled = false): HTMLElement {
  const b = el('vscode-button' as 'button', 'file-action', label);
  b.title = title;
  if (secondary) { b.setAttribute('appearance', 'secondary'); }
  if (disabled) { b.setAttribute('disabled', ''); }
  b.addEventListener('click', onClick);
  return b;
}

/** The cards under an answer: each file it proposes, its check, and what can be done with it. */
function renderArtifacts(view: TurnView, artifacts: ArtifactView[]): void {
  if (!artifacts.length) { view.files.replaceChildren(); return; }
  const turnId = view.record.id;
  const run = (a: ArtifactView, action: ArtifactActionName) => (): void => post({ type: 'artifact/run', turnId, artifactId: a.id, action });
  const head = el('div', 'files-head');
  head.append(el('h3', '', `Files (${artifacts.length})`));
  const writable = artifacts.filter(a => !a.partial && a.status !== 'invalid' && a.status !== 'checking' && !a.written);
  head.append(button('Write All', 'Write every complete, valid file into the workspace (one confirmation; existing files get a diff first)', () => post({ type: 'artifact/writeAll', turnId }), false, writable.length === 0));
  const cards = artifacts.map(a => {
    const card = el('article', 'file-card');
    card.dataset.artifactId = a.id;
    card.dataset.status = a.status;
    const title = el('div', 'file-title');
    title.append(el('span', 'file-kind', a.title ? 'Derived' : (kindLabel[a.kind] ?? a.kind)), el('span', 'file-path', a.path ?? '(no path given)'),
      el('span', `file-status status-${a.status}`, a.partial ? 'Cut off' : statusLabel[a.status]));
    card.append(title);
    if (a.title) { card.append(el('div', 'file-derived', a.title)); }
    if (a.written) { card.append(el('div', 'file-written', `Written to ${a.written}`)); }
    if (a.changes?.length) {
      const ul = el('ul', 'file-changes');
      for (const c of a.changes) { ul.append(el('li', '', c)); }
      card.append(ul);
    }
    if (a.problems.length) {
      const ul = el('ul', 'file-problems');
      for (const p of a.problems) { ul.append(el('li', `problem-${p.severity}`, `line ${p.line}${p.column ? `:${p.column}` : ''}: ${p.message}`)); }
      card.append(ul);
    }
    const actions = el('div', 'file-actions');
    actions.append(
      a.written ? button('Open', `Open ${a.written}`, run(a, 'open'), false)
        : button('Write to Workspace', a.partial ? 'The block was cut off; it cannot be written' : 'Choose where, then write (a diff first if the file exists)', run(a, 'write'), false, !!a.partial || a.status === 'checking'),
      button('Show Diff', 'Compare with the file on disk', run(a, 'diff')),
      button('Copy', 'Copy the content', run(a, 'copy')),
      ...(a.migration ? [button('Write as Migration', `Write the change to this schema as the next ${a.migration.tool} migration in ${a.migration.folder} (steps that lose data are confirmed first)`, run(a, 'migration'))] : []),
    );
    card.append(actions);
    return card;
  });
  view.files.replaceChildren(head, ...cards);
}

const severityLabel: Record<FindingView['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** A review's findings, most severe first; each with a file opens it on its line. */
function renderFindings(view: TurnView, findings: FindingView[]): void {
  if (!findings.length) { view.findings.replaceChildren(); return; }
  const order = { error: 0, warning: 1, info: 2 };
  const sorted = findings.map((f, index) => ({ f, index })).sort((a, b) => order[a.f.severity] - order[b.f.severity]);
  const list = el('ol', 'finding-list');
  for (const { f, index } of sorted) {
    const li = el('li', `finding finding-${f.severity}`);
    const head = el('div', 'finding-head');
    head.append(el('span', `finding-severity sev-${f.severity}`, severityLabel[f.severity]), el('strong', 'finding-title', f.title));
    if (f.file) {
      const where = el('a', 'finding-where', `${f.file}${f.line ? `:${f.line}` : ''}`);
      where.setAttribute('href', '#');
      where.setAttribute('role', 'button');
      where.title = 'Open this place in the editor';
      where.addEventListener('click', e => { e.preventDefault(); post({ type: 'finding/open', turnId: view.record.id, index }); });
      head.append(where);
    }
    li.append(head, el('div', 'finding-rationale', f.rationale));
    list.append(li);
  }
  view.findings.replaceChildren(el('h3', '', `Findings (${findings.length}), also in the Problems panel`), list);
}

function clearTurns(): void {
  turns.clear();
  order = [];
  transcript.replaceChildren();
  updateEmpty();
}

function showIdentity(agent: AgentInfo, model?: ModelInfo): void {
  agentLabel.textContent = agent.name;
  agentLabel.title = `${agent.description}\n(${agent.origin})`;
  if (model) {
    modelLabel.textContent = model.model ? `${model.model} · ${model.endpoint}` : model.endpoint;
    demoBadge.hidden = !model.demo;
  }
}

let stickToBottom = true;
transcript.addEventListener('scroll', () => {
  stickToBottom = transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 40;
});
function follow(): void {
  if (stickToBottom) { transcript.scrollTop = transcript.scrollHeight; }
}

function onHostMessage(m: HostMessage): void {
  switch (m.type) {
    case 'view/init':
      showIdentity(m.agent, m.model);
      clearTurns();
      for (const t of m.turns) { addTurn(t); }
      setBusy(m.busy);
      follow();
      break;
    case 'turn/user':
      addTurn(m.turn);
      stickToBottom = true;
      follow();
      break;
    case 'answer/start':
      addTurn({ id: m.turnId, role: 'assistant', text: '', status: 'streaming', model: m.model });
      setBusy(true);
      follow();
      break;
    case 'answer/delta': {
      const v = turns.get(m.turnId);
      if (!v) { break; }
      v.record.text += m.text;
      v.markdown?.append(m.text);
      follow();
      save();
      break;
    }
    case 'answer/reasoning': {
      const v = turns.get(m.turnId);
      if (!v) { break; }
      v.record.reasoning = (v.record.reasoning ?? '') + m.text;
      v.thinking.hidden = false;
      v.thinkingText.textContent = v.record.reasoning;
      break;
    }
    case 'answer/status': {
      const v = turns.get(m.turnId);
      if (v) { v.status.hidden = false; v.status.lastElementChild!.textContent = m.message; }
      break;
    }
    case 'answer/end': {
      const v = turns.get(m.turnId);
      if (v) {
        v.markdown?.finish();
        void renderDiagrams(v.content);
        Object.assign(v.record, { status: m.status, note: [m.note, m.usage].filter(Boolean).join(' ') || undefined, actions: m.actions });
        renderStatus(v);
      }
      setBusy(false);
      follow();
      save();
      break;
    }
    case 'chat/cleared':
      clearTurns();
      setBusy(false);
      save();
      break;
    case 'agent/changed':
      showIdentity(m.agent);
      break;
    case 'artifacts/update': {
      const v = turns.get(m.turnId);
      if (v) {
        v.record.artifacts = m.artifacts;
        renderArtifacts(v, m.artifacts);
        if (m.findings) { v.record.findings = m.findings; renderFindings(v, m.findings); }
        save();
      }
      break;
    }
    case 'mermaid/parse':
      void parseDiagram(m.text).then(r => post({ type: 'mermaid/parsed', requestId: m.requestId, ok: r.ok, ...(r.error ? { error: r.error } : {}) }));
      break;
  }
}

function send(): void {
  const text = (input.value ?? '').trim();
  if (!text || busy) { return; }
  post({ type: 'chat/send', text });
  input.value = '';
  save();
}

sendButton.addEventListener('click', send);
stopButton.addEventListener('click', () => post({ type: 'answer/stop' }));
input.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
});
document.addEventListener('keydown', e => {
  if (e.key === 'Escape' && busy) { e.preventDefault(); post({ type: 'answer/stop' }); }
});
input.addEventListener('input', save);
window.addEventListener('message', (e: MessageEvent<HostMessage>) => onHostMessage(e.data));
followTheme(transcript);

// Restore what was on screen before a reload at once; the host's view/init then brings the authoritative copy.
const saved = vscode.getState();
if (saved) {
  for (const t of saved.turns ?? []) { addTurn(t); }
  input.value = saved.draft ?? '';
}
updateEmpty();
post({ type: 'webview/ready' });
