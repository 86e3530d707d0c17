/**
 * The chat view and the Design / Review panels share this app. It renders what the host sends and sends back
 * only intents (send, stop, retry, open link, run action); the host does everything with side effects.
 */
import type { AgentInfo, AnswerStatusName, ErrorActionName, FindingView, HostMessage, ModelInfo, TurnRecord, ViewMode, WebviewMessage } from '../src/protocol';
import { AnswerCards } from './cards/answerCards';
import { followTheme, parseDiagram, renderDiagrams } from './diagrams';
import { installShortcuts } from './keyboard';
import { StreamingMarkdownView } from './markdown/incremental';
import { createStepsSection, showStep, showSteps } from './toolSteps';
import { registerToolkit } from './ui/register';
import { makeBadge, makeButton, makeProgressRing, makeTextArea } from './ui/toolkit';

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

registerToolkit();

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
  steps: HTMLElement;
  markdown?: StreamingMarkdownView;
  cards?: AnswerCards;
}

const app = document.getElementById('app') as HTMLElement;
const header = el('header', 'header');
const agentLabel = el('span', 'agent');
const modelLabel = el('span', 'model');
const demoBadge = makeBadge('DEMO', 'demo');
demoBadge.title = 'Answers come from the recorded demo server, not a model. Configure a provider in Settings to use a real model.';
demoBadge.hidden = true;
header.append(agentLabel, demoBadge, modelLabel);
const transcript = el('section', 'transcript');
transcript.setAttribute('role', 'log');
transcript.setAttribute('aria-live', 'polite');
transcript.setAttribute('aria-label', 'Conversation');
const empty = el('div', 'empty');
const composer = el('div', 'composer');
const input = makeTextArea('Message to the architect');
input.id = 'input';
input.rows = 3;
input.placeholder = placeholder[mode];
const sendButton = makeButton('Send', { className: 'send', title: 'Send (Enter)' });
sendButton.id = 'send';
const stopButton = makeButton('Stop', { className: 'stop', secondary: true, title: 'Stop the answer (Escape)' });
stopButton.id = 'stop';
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
    const b = makeButton(actionLabel[a], { className: 'action', secondary: a !== 'retry', onClick: () => post(a === 'retry' ? { type: 'answer/retry' } : { type: 'action/run', action: a }) });
    b.dataset.action = a;
    return b;
  }));
}

function renderStatus(view: TurnView): void {
  const { status = 'complete', note } = view.record;
  view.root.dataset.status = status;
  view.status.replaceChildren();
  if (status === 'streaming') {
    view.status.append(makeProgressRing('ring'), el('span', '', statusText.streaming));
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
  const steps = createStepsSection();
  root.append(meta, thinking, steps, findings, content, status, actions, files);
  const view: TurnView = { record, root, content, status, actions, thinking, thinkingText, files, findings, steps };
  if (record.role === 'user') {
    content.textContent = record.text;   // a person's own words: plain text, never markup
  } else {
    const markdown = new StreamingMarkdownView(content, { onLink: href => post({ type: 'link/open', href }), onRender: () => view.cards?.place() });
    view.markdown = markdown;
    view.cards = new AnswerCards({ turnId: record.id, content, files, post, streaming: () => view.record.status === 'streaming', openBlock: () => markdown.openFence });
    if (record.text) {
      markdown.append(record.text);
      if (record.status === 'streaming') { markdown.flush(); } else { markdown.finish(); }
    }
    renderStatus(view);
    view.cards.update(record.artifacts ?? []);
    if (record.status !== 'streaming') { view.cards.ended(); void renderDiagrams(content); }
    renderFindings(view, record.findings ?? []);
    showSteps(steps, record.steps ?? []);
  }
  turns.set(record.id, view);
  order.push(record.id);
  transcript.append(root);
  updateEmpty();
  return view;
}

const severityLabel: Record<FindingView['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** A review's findings, most severe first; each with a file opens it on its line. */
function renderFindings(view: TurnView, findings: FindingView[]): void {
  if (!findings.length) { view.findings.replaceChildren(); return; }
  const order = { error: 0, warning: 1, info: 2 };
  const sorted = findings.map((f, index) => ({ f, index })).sort((a, b) => order[a.f.severity] - order[b.f.severity]);
  const list = el('ol', 'finding-list');
  for (const { f, index } of sorted) {
    const li = el('li', `finding finding-${f.severity}${f.verified === false ? ' finding-unverified' : ''}`);
    const head = el('div', 'finding-head');
    head.append(el('span', `finding-severity sev-${f.severity}`, severityLabel[f.severity]), el('strong', 'finding-title', f.title));
    if (f.verified === false) {
      const badge = el('span', 'finding-unverified-badge', 'Unverified');
      badge.title = 'The file or line it names is not in the reviewed folder, so it is not in the Problems panel.';
      head.append(badge);
    }
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
      // A keyboard user lands in the message box of a panel VS Code gave the focus to (a new panel); a panel
      // restored in the background, and the chat view, leave the focus where it is.
      if (mode !== 'chat' && document.hasFocus() && !document.activeElement?.closest('#app')) { input.focus(); }
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
    case 'answer/step': {
      const v = turns.get(m.turnId);
      if (!v) { break; }
      const steps = v.record.steps ?? (v.record.steps = []);
      const at = steps.findIndex(x => x.id === m.step.id);
      if (at >= 0) { steps[at] = m.step; } else { steps.push(m.step); }
      showStep(v.steps, m.step);
      follow();
      save();
      break;
    }
    case 'answer/restart': {
      // The model is asked again (it did not take the tools): what it showed so far goes.
      const v = turns.get(m.turnId);
      if (!v) { break; }
      Object.assign(v.record, { text: '', reasoning: undefined, steps: undefined, artifacts: undefined });
      v.markdown?.reset();
      v.thinking.hidden = true;
      v.thinkingText.textContent = '';
      showSteps(v.steps, []);
      v.cards?.update([]);
      save();
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
        Object.assign(v.record, { status: m.status, note: [m.note, m.usage].filter(Boolean).join(' ') || undefined, actions: m.actions });
        renderStatus(v);
        // A burst may still be rendering a few blocks per frame: the answer is final once it caught up.
        void (v.markdown?.finishWhenRendered() ?? Promise.resolve()).then(() => { v.cards?.ended(); void renderDiagrams(v.content); follow(); });
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
        v.cards?.update(m.artifacts);
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
followTheme();
installShortcuts(transcript, input);

// Restore what was on screen before a reload at once; the host's view/init then brings the authoritative copy.
const saved = vscode.getState();
if (saved) {
  for (const t of saved.turns ?? []) { addTurn(t); }
  input.value = saved.draft ?? '';
}
updateEmpty();
post({ type: 'webview/ready' });
