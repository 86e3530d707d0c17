/**
 * The tool calls of an answer: one compact line each ("Read src/routes/orders.js 1-80: 80 of 120 lines",
 * "Searched `FOR UPDATE`: 3 hits") that opens to exactly what the model was sent. Everything is set as text,
 * never as markup: labels and results come from the workspace and the model.
 */
import type { ToolStepView } from '../src/protocol';

const STATE_MARK: Record<ToolStepView['state'], [string, string]> = {
  running: ['…', 'running'],
  done: ['✓', 'done'],
  failed: ['✕', 'refused or failed'],
  skipped: ['–', 'not run'],
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) { e.textContent = text; }
  return e;
}

/** The empty section an answer's steps go in (hidden until the first one). */
export function createStepsSection(): HTMLElement {
  const section = el('section', 'steps');
  section.setAttribute('aria-label', 'What the architect read');
  section.hidden = true;
  section.append(el('div', 'steps-head'), el('div', 'steps-list'));
  return section;
}

function stepElement(step: ToolStepView): HTMLDetailsElement {
  const item = el('details', `step step-${step.state}`);
  item.dataset.stepId = step.id;
  const [mark, stateLabel] = STATE_MARK[step.state];
  const summary = el('summary', 'step-line');
  const icon = el('span', 'step-mark', mark);
  icon.setAttribute('aria-label', stateLabel);
  icon.title = stateLabel;
  summary.append(icon, el('span', 'step-label', step.label));
  if (step.summary) { summary.append(el('span', 'step-summary', `: ${step.summary}`)); }
  item.append(summary);
  if (step.detail !== undefined) {
    item.append(el('pre', 'step-detail', step.detail));
  } else {
    item.append(el('div', 'step-pending', step.state === 'running' ? 'Running…' : 'Nothing was sent.'));
  }
  return item;
}

function updateHead(section: HTMLElement): void {
  const list = section.querySelector('.steps-list')!;
  const n = list.children.length;
  section.hidden = n === 0;
  section.querySelector('.steps-head')!.textContent = `Tool calls (${n}): what the architect read`;
}

/** Adds a step, or replaces the one with its id (keeping it open if it was). */
export function showStep(section: HTMLElement, step: ToolStepView): void {
  const list = section.querySelector('.steps-list')!;
  const fresh = stepElement(step);
  const old = [...list.children].find(c => (c as HTMLElement).dataset.stepId === step.id) as HTMLDetailsElement | undefined;
  if (old) {
    fresh.open = old.open;
    old.replaceWith(fresh);
  } else {
    list.append(fresh);
  }
  updateHead(section);
}

/** Shows exactly these steps (a restored turn, or none after a restart). */
export function showSteps(section: HTMLElement, steps: readonly ToolStepView[]): void {
  section.querySelector('.steps-list')!.replaceChildren(...steps.map(stepElement));
  updateHead(section);
}
