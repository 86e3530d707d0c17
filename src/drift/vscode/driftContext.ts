import * as vscode from 'vscode';
import { vscodeFileSource } from '../../context/vscode/workspaceContext';
import { loadBundle, type DriftBundle } from '../../lazy';

/**
 * What Review adds to its context about the API: the folder's spec against its routes, as a short block of
 * text. Empty without a spec, in Restricted Mode, or when the check fails (the review goes on without it).
 */
export async function driftForReview(folder: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<string> {
  if (!folder || !vscode.workspace.isTrusted) { return ''; }
  try {
    const drift = loadBundle<DriftBundle>('drift.js');
    const report = await drift.checkDrift(vscodeFileSource(folder));
    log.info(`review: API drift ${report.spec === null ? 'not checked (no spec)' : `${report.items.length} differences`}`);
    return report.spec === null ? '' : drift.formatDriftForPrompt(report);
  } catch (e) {
    log.warn(`review: the API drift check failed, the review goes on without it: ${(e as Error).message}`);
    return '';
  }
}
