import * as vscode from 'vscode';
import type { Finding } from '../findings';

const severities: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information,
};

/** Review findings in the Problems panel, on the lines they name; a new review or Clear Review Findings replaces them. */
export class ReviewDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('backendArchitect.review');

  /** Shows the findings that name a file inside `folder`; returns how many went to the Problems panel. */
  show(folder: vscode.Uri, findings: Finding[]): number {
    this.collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of findings) {
      if (!f.file) { continue; }
      const line = Math.max(0, (f.line ?? 1) - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${f.title}${f.rationale ? `: ${f.rationale}` : ''}`, severities[f.severity]);
      d.source = 'Backend Architect review';
      const key = vscode.Uri.joinPath(folder, ...f.file.split('/')).toString();
      byFile.set(key, [...(byFile.get(key) ?? []), d]);
    }
    for (const [uri, diags] of byFile) { this.collection.set(vscode.Uri.parse(uri), diags); }
    return [...byFile.values()].reduce((n, d) => n + d.length, 0);
  }

  clear(): void {
    this.collection.clear();
  }

  dispose(): void {
    this.collection.dispose();
  }
}
