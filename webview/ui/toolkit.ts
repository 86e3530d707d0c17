/**
 * Our controls, made from whichever web-component toolkit webview/ui/register.ts loads. Today
 * @vscode/webview-ui-toolkit (the user asked for it; it is archived upstream, MEASURED.md "Webview
 * components"); swapping it for its successor (@vscode-elements/elements) means changing the tag names
 * here and the registration there. No other module names a toolkit or its tags. This file imports no
 * toolkit code, so the views that use it run under jsdom in unit tests.
 */

export interface ButtonOptions {
  /** Tooltip; also the accessible description. */
  title?: string;
  secondary?: boolean;
  disabled?: boolean;
  className?: string;
  /** Accessible name when the label alone is not enough (an icon, a repeated "Open"). */
  ariaLabel?: string;
  onClick?: () => void;
}

/** A themed button (keyboard: Tab to it, Enter or Space to press). */
export function makeButton(label: string, o: ButtonOptions = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (o.className) { b.className = o.className; }
  if (o.title) { b.title = o.title; }
  if (o.ariaLabel) { b.setAttribute('aria-label', o.ariaLabel); }
  if (o.secondary) { b.setAttribute('appearance', 'secondary'); }
  if (o.disabled) { b.setAttribute('disabled', ''); }
  if (o.onClick) { b.addEventListener('click', o.onClick); }
  return b;
}

/** Enables or disables a button made by makeButton. */
export function setDisabled(button: HTMLElement, disabled: boolean): void {
  button.toggleAttribute('disabled', disabled);
}

/** A multi-line text input with a `value`. */
export type TextArea = HTMLElement & { value: string; placeholder: string; rows: number };

export function makeTextArea(label: string): TextArea {
  const input = document.createElement('vscode-text-area') as TextArea;
  input.setAttribute('resize', 'vertical');
  input.setAttribute('aria-label', label);
  return input;
}

export function makeBadge(text: string, className?: string): HTMLElement {
  const b = document.createElement('vscode-badge');
  b.textContent = text;
  if (className) { b.className = className; }
  return b;
}

export function makeProgressRing(className?: string): HTMLElement {
  const r = document.createElement('vscode-progress-ring');
  if (className) { r.className = className; }
  r.setAttribute('aria-label', 'Working');
  return r;
}
