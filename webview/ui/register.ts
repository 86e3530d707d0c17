/**
 * Registers the toolkit's web components (the only import of the toolkit package; see toolkit.ts). Called
 * once by main.ts before any control is made; elements made earlier upgrade when their tag is defined.
 */
import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeProgressRing, vsCodeTextArea } from '@vscode/webview-ui-toolkit';

let registered = false;

/** Defines the components our controls use. Idempotent. */
export function registerToolkit(): void {
  if (registered) { return; }
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextArea(), vsCodeProgressRing(), vsCodeBadge());
}
