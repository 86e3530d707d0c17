import * as vscode from 'vscode';
import type { DriftProblem } from '../problems';
import type { DriftItem } from '../types';

/** Shown in the Problems panel's source column, and how the quick fixes recognise our entries. */
export const driftSource = 'Backend Architect';

/** What a diagnostic stands for: the difference it shows and the folder its paths are relative to. */
export interface DriftEntry {
  folder: vscode.WorkspaceFolder;
  problem: DriftProblem;
  item: DriftItem;
}

const severities: Record<DriftProblem['severity'], vscode.DiagnosticSeverity> = {
  warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information,
};

const fileUri = (folder: vscode.WorkspaceFolder, file: string): vscode.Uri => vscode.Uri.joinPath(folder.uri, ...file.split('/'));

/**
 * API drift in the Problems panel: each difference on its line in the spec and in the code, with a link to
 * the other side. One collection for every workspace folder; a new check of a folder replaces its entries.
 */
export class DriftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('backendArchitect.drift');
  /** Entries by file URI, for the quick fixes. */
  private readonly entries = new Map<string, DriftEntry[]>();
  /** Files that have entries, by workspace folder URI, so a new check clears exactly its own. */
  private readonly files = new Map<string, vscode.Uri[]>();

  /** Replaces the folder's entries with `problems` (of `items`); returns how many diagnostics were set. */
  show(folder: vscode.WorkspaceFolder, problems: DriftProblem[], items: DriftItem[]): number {
    this.clear(folder);
    const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[]; entries: DriftEntry[] }>();
    for (const problem of problems) {
      const uri = fileUri(folder, problem.file);
      const line = Math.max(0, problem.line - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), problem.message, severities[problem.severity]);
      d.source = driftSource;
      d.code = problem.code;
      if (problem.other) {
        const at = new vscode.Position(Math.max(0, problem.other.line - 1), 0);
        const label = problem.other.label.charAt(0).toUpperCase() + problem.other.label.slice(1);
        d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(fileUri(folder, problem.other.file), at), label)];
      }
      const slot = byFile.get(uri.toString()) ?? { uri, diagnostics: [], entries: [] };
      slot.diagnostics.push(d);
      slot.entries.push({ folder, problem, item: items[problem.item] });
      byFile.set(uri.toString(), slot);
    }
    for (const [key, slot] of byFile) {
      this.collection.set(slot.uri, slot.diagnostics);
      this.entries.set(key, slot.entries);
    }
    this.files.set(folder.uri.toString(), [...byFile.values()].map(s => s.uri));
    return problems.length;
  }

  /** The entries on `line` (0-based) of a file with this code. */
  at(uri: vscode.Uri, line: number, code: string): DriftEntry[] {
    return (this.entries.get(uri.toString()) ?? []).filter(e => e.problem.line - 1 === line && e.problem.code === code);
  }

  /** Removes one folder's entries (or every folder's). */
  clear(folder?: vscode.WorkspaceFolder): void {
    const keys = folder ? [folder.uri.toString()] : [...this.files.keys()];
    for (const key of keys) {
      for (const uri of this.files.get(key) ?? []) {
        this.collection.delete(uri);
        this.entries.delete(uri.toString());
      }
      this.files.delete(key);
    }
  }

  dispose(): void {
    this.collection.dispose();
  }
}
