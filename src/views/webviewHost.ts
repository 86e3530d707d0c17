import * as vscode from 'vscode';
import { Commands, ConfigSection } from '../constants';
import type { Conversation } from '../design/conversation';
import type { ErrorActionName, ViewMode } from '../protocol';
import { buildWebviewHtml } from './html';
import { allowedExternalLink, parseWebviewMessage } from './messages';

/**
 * Webview options for every view: scripts on (nonce-gated by the CSP), forms and command URIs off, and only
 * the built webview code and media readable (THREATS T3, T4).
 */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableForms: false,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri, mode: ViewMode, title: string): string {
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'main.css')).toString(),
    mode,
    title,
  });
}

async function openLink(href: string): Promise<void> {
  const url = allowedExternalLink(href);
  if (!url) {
    void vscode.window.showWarningMessage(`Backend Architect only opens https links. This one was not opened: ${href.slice(0, 200)}`);
    return;
  }
  // The full URL is shown before anything leaves the editor: a link's text can say anything.
  const choice = await vscode.window.showInformationMessage('Open this link in your browser?', { modal: true, detail: url }, 'Open');
  if (choice === 'Open') { await vscode.env.openExternal(vscode.Uri.parse(url, true)); }
}

/** Runs what an error's action button stands for. */
export async function runErrorAction(action: ErrorActionName): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(Commands.setApiKey);
      break;
    case 'selectModel':
      await vscode.commands.executeCommand(Commands.selectModel);
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', ConfigSection);
      break;
    case 'retry':
      break;
  }
}

/**
 * Connects a webview to a conversation: validated messages in, conversation updates out. Returns the
 * listener's disposable.
 */
export function wireConversation(webview: vscode.Webview, conversation: () => Conversation, title: () => string, log: vscode.LogOutputChannel): vscode.Disposable {
  return webview.onDidReceiveMessage(async (raw: unknown) => {
    const m = parseWebviewMessage(raw);
    if (!m) {
      log.warn(`ignored a malformed message from a webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const c = conversation();
    switch (m.type) {
      case 'webview/ready':
        await c.connect(msg => { void webview.postMessage(msg); }, title());
        break;
      case 'chat/send':
        void c.send(m.text);
        break;
      case 'answer/stop':
        c.stop();
        break;
      case 'answer/retry':
        void c.retry();
        break;
      case 'link/open':
        await openLink(m.href);
        break;
      case 'action/run':
        await runErrorAction(m.action);
        break;
    }
  });
}
