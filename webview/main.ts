/**
 * The chat view and the Design / Review panels share this app. It renders what the host sends and sends back
 * only intents (send, stop, retry, open link, run action); the host does everything with side effects.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeTextArea, vsCodeProgressRing, vsCodeBadge } from '@vscode/webview-ui-toolkit';
import type { AgentInfo, AnswerStatusName, ErrorActionName, HostMessage, ModelInfo, TurnRecord, ViewMode, WebviewMessage } from '../src/protocol';
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
  root.append(meta, thinking, content, status, actions);
  const view: TurnView = { record, root, content, status, actions, thinking, thinkingText };
  if (record.role === 'user') {
    content.textContent = record.text;   // a person's own words: plain text, never markup
  } else {
    view.markdown = new StreamingMarkdownView(content, { onLink: href => post({ type: 'link/open', href }) });
    if (record.text) {
      view.markdown.append(record.text);
      if (record.status === 'streaming') { view.markdown.flush(); } else { view.markdown.finish(); }
    }
    renderStatus(view);
  }
  turns.set(record.id, view);
  order.push(record.id);
  transcript.append(root);
  updateEmpty();
  return view;
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

// Restore what was on screen before a reload at once; the host's view/init then brings the authoritative copy.
const saved = vscode.getState();
if (saved) {
  for (const t of saved.turns ?? []) { addTurn(t); }
  input.value = saved.draft ?? '';
}
updateEmpty();
post({ type: 'webview/ready' });
