import * as vscode from 'vscode';
import { Commands, ConfigSection } from '../constants';
import { createSession, type ConversationOptions, type Services, type Session } from '../design/vscode/sessions';
import type { ArtifactWriter } from '../artifacts/vscode/writer';
import { writeAsMigration } from '../artifacts/vscode/migrationAction';
import type { ArtifactActionName, DiagramImageFormat } from '../protocol';
import type { ErrorActionName, ViewMode } from '../protocol';
import { buildWebviewHtml } from './html';
import { allowedExternalLink, parseWebviewMessage } from './messages';
import { MermaidBridge } from './mermaidBridge';

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
 * A session as a view shows it: with the bridge that runs its mermaid checks in the view's browser, and what
 * it listens to (dispose with the view).
 */
export interface ShownSession extends Session, vscode.Disposable {
  mermaid: MermaidBridge;
}

/** Creates a session for a view to show; its mermaid checks go to whichever webview attaches the bridge. */
export function showSession(services: Services, options: ConversationOptions): ShownSession {
  const mermaid = new MermaidBridge();
  const session = createSession(services, options, { parseMermaid: text => mermaid.parse(text) });
  // Undo Last Write took files back: their cards offer to write them again instead of saying "Written to".
  const undo = services.writer.onDidUndo(paths => {
    const set = new Set(paths);
    for (const turn of session.conversation.turns) {
      if (session.tracker.markUnwritten(turn, set)) { postArtifacts(session, turn.id); }
    }
  });
  return { ...session, mermaid, dispose: () => undo.dispose() };
}

/**
 * Connects a webview to a conversation: validated messages in, conversation updates out. Returns the
 * listener's disposable.
 */
export function wireConversation(webview: vscode.Webview, session: () => ShownSession, title: () => string, log: vscode.LogOutputChannel, writer: ArtifactWriter): vscode.Disposable {
  return webview.onDidReceiveMessage(async (raw: unknown) => {
    const m = parseWebviewMessage(raw);
    if (!m) {
      log.warn(`ignored a malformed message from a webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const sess = session();
    const c = sess.conversation;
    switch (m.type) {
      case 'webview/ready': {
        const post = (msg: Parameters<Parameters<typeof c.connect>[0]>[0]): void => { void webview.postMessage(msg); };
        sess.mermaid.attach(post);
        await c.connect(post, title());
        break;
      }
      case 'mermaid/parsed':
        sess.mermaid.settle(m.requestId, m.ok, m.error);
        break;
      case 'artifact/run':
        await runArtifactAction(sess, writer, m.turnId, m.artifactId, m.action);
        break;
      case 'artifact/writeAll':
        await writeAllArtifacts(sess, writer, m.turnId);
        break;
      case 'artifact/undo':
        await vscode.commands.executeCommand(Commands.undoLastWrite);
        break;
      case 'diagram/save':
        await saveDiagramImage(sess, writer, m.turnId, m.artifactId, m.format, m.data);
        break;
      case 'finding/open': {
        // The path comes from the host's own parse of the answer, checked relative, and opens inside the folder.
        const f = c.turn(m.turnId)?.findings?.[m.index];
        if (f?.file && sess.folder) {
          const line = Math.max(0, (f.line ?? 1) - 1);
          await vscode.window.showTextDocument(vscode.Uri.joinPath(sess.folder, ...f.file.split('/')), { selection: new vscode.Range(line, 0, line, 0) })
            .then(undefined, () => vscode.window.showWarningMessage(`${f.file} could not be opened.`));
        }
        break;
      }
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

function postArtifacts(sess: Session, turnId: string): void {
  const turn = sess.conversation.turn(turnId);
  if (turn) { sess.conversation.post({ type: 'artifacts/update', turnId, artifacts: turn.artifacts ?? [] }); }
}

/** Write, Show Diff, Copy, Open or Write as Migration for one artifact, looked up by id in the host's own record. */
export async function runArtifactAction(sess: Session, writer: ArtifactWriter, turnId: string, artifactId: string, action: ArtifactActionName): Promise<void> {
  const tracked = sess.tracker.get(turnId, artifactId);
  const turn = sess.conversation.turn(turnId);
  if (!tracked || !turn) { return; }
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(tracked.content);
      void vscode.window.setStatusBarMessage(`Copied ${tracked.artifact.path ?? tracked.artifact.kind}`, 3000);
      break;
    case 'diff':
      await writer.showDiff(tracked.artifact.path, tracked.content);
      break;
    case 'open': {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder && tracked.view.written) { await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, tracked.view.written)); }
      break;
    }
    case 'write': {
      if (tracked.view.partial) { void vscode.window.showWarningMessage('This block was cut off when the answer stopped; copy it instead, or retry the answer.'); return; }
      const r = await writer.writeOne({ kind: tracked.artifact.kind, suggestedPath: tracked.artifact.path, content: tracked.content, invalid: tracked.view.status === 'invalid' });
      if (r.written) { sess.tracker.markWritten(turn, artifactId, r.relativePath); postArtifacts(sess, turnId); }
      break;
    }
    case 'migration':
      await writeAsMigration(tracked, writer);
      break;
  }
}

/**
 * Save as SVG / PNG: the file is named after the artifact the diagram belongs to (`services.mmd` gives
 * `services.svg`; a schema's ER diagram `schema.er.svg`), never by the webview.
 */
export async function saveDiagramImage(sess: Session, writer: ArtifactWriter, turnId: string, artifactId: string, format: DiagramImageFormat, data: string): Promise<void> {
  const tracked = sess.tracker.get(turnId, artifactId);
  if (!tracked) { return; }
  const source = tracked.artifact.path ?? `docs/architecture/${tracked.artifact.kind === 'sql' ? 'schema' : 'diagram'}.mmd`;
  const base = source.replace(/\.[^./]+$/, '');
  const suggested = `${tracked.artifact.kind === 'sql' && !base.endsWith('.er') ? `${base}.er` : base}.${format}`;
  const bytes = format === 'png' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
  const r = await writer.writeImage(suggested, bytes);
  if (r.written) { void vscode.window.setStatusBarMessage(`Saved ${r.relativePath}`, 4000); }
}

/** Why Write All leaves an artifact out, listed with the files not written; undefined when it is offered. */
function leftOut(view: { partial?: boolean; status: string }): string | undefined {
  if (view.partial) { return 'cut off when the answer stopped'; }
  if (view.status === 'invalid') { return 'did not pass its check (Write to Workspace asks before writing it)'; }
  if (view.status === 'checking') { return 'still being checked'; }
  return undefined;
}

/**
 * Write All: one list of the answer's files, each with what writing it does (complete and valid, repaired or
 * unchecked ones offered; the rest listed with why not), then one confirmation and one Undo.
 */
export async function writeAllArtifacts(sess: Session, writer: ArtifactWriter, turnId: string): Promise<void> {
  const turn = sess.conversation.turn(turnId);
  if (!turn) { return; }
  const tracked = sess.tracker.all(turnId);
  if (!tracked.some(t => !leftOut(t.view))) { void vscode.window.showInformationMessage('No artifact of this answer can be written (none is complete and valid).'); return; }
  const results = await writer.writeAll(tracked.map(t => ({ kind: t.artifact.kind, suggestedPath: t.artifact.path, content: t.content, leftOut: leftOut(t.view) })));
  const skipped: string[] = [];
  results.forEach((r, i) => {
    if (r.written) { sess.tracker.markWritten(turn, tracked[i].artifact.id, r.relativePath); }
    else if (!r.quiet && !leftOut(tracked[i].view)) { skipped.push(`${tracked[i].artifact.path ?? tracked[i].artifact.kind}: ${r.reason}`); }
  });
  postArtifacts(sess, turnId);
  if (skipped.length) { void vscode.window.showWarningMessage(`Not written: ${skipped.join('; ')}`); }
}
