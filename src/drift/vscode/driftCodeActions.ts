import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { driftSource, type DriftDiagnostics, type DriftEntry } from './driftDiagnostics';

const fileUri = (e: DriftEntry, file: string): vscode.Uri => vscode.Uri.joinPath(e.folder.uri, ...file.split('/'));

/**
 * Quick fixes on the drift entries of the Problems panel: a route the spec lacks offers Add to spec (the
 * operation, proposed through the diff-first writer) and, from the spec's side, Open route; an operation
 * with no route offers Open operation from the code's side and the closest route from the spec's.
 */
export class DriftCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: DriftDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      if (d.source !== driftSource || typeof code !== 'string') { continue; }
      for (const e of this.diagnostics.at(doc.uri, d.range.start.line, code)) { actions.push(...actionsFor(e, d)); }
    }
    return actions;
  }
}

function actionsFor(e: DriftEntry, d: vscode.Diagnostic): vscode.CodeAction[] {
  const op = `${e.item.method} ${e.item.path}`;
  const open = (title: string, file: string, line: number): vscode.CodeAction => action(title, d, { title, command: Commands.openDriftLocation, arguments: [fileUri(e, file), line] });
  if (e.item.kind === 'missing-in-spec') {
    const add = action(`Add ${op} to ${e.item.related?.file ?? 'the spec'}`, d, { title: 'Add to spec', command: Commands.addToSpec, arguments: [e.folder.uri, e.item] });
    add.isPreferred = e.problem.side === 'item';
    return e.problem.side === 'related' ? [open(`Open route ${op}`, e.item.file, e.item.line), add] : [add];
  }
  if (e.problem.side === 'related') { return [open(`Open operation ${op}`, e.item.file, e.item.line)]; }
  return e.item.related ? [open(`Open the closest route (${e.item.related.file}:${e.item.related.line})`, e.item.related.file, e.item.related.line)] : [];
}

function action(title: string, d: vscode.Diagnostic, command: vscode.Command): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.diagnostics = [d];
  a.command = command;
  return a;
}
