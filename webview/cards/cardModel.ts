/**
 * What a card says about its file, decided from the host's view alone: the badge (the whole check, warnings
 * apart from errors) and the write verdict (the writer's own words, judged on the host before any click).
 * No DOM here, so the words are tested over the path table without a page.
 */
import type { ArtifactView } from '../../src/protocol';

/** The check's badge: its text, its class (colour), and the longer why for its title. */
export interface Badge {
  text: string;
  /** `status-<status>`, plus `has-warnings` when only warnings were found (never the error colour). */
  className: string;
  title: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Errors and warnings, from the host's full counts when it sent them, else from the problems listed. */
function countsOf(v: ArtifactView): { errors: number; warnings: number } {
  return v.counts ?? { errors: v.problems.filter(p => p.severity === 'error').length, warnings: v.problems.filter(p => p.severity === 'warning').length };
}

/** Why a file was not checked: the checker's own note when it left one. */
function uncheckedWhy(v: ArtifactView): string {
  const note = v.problems.find(p => p.severity === 'info')?.message;
  if (note) { return note; }
  return v.kind === 'code' ? 'There is no check for this kind of file.' : 'The check could not run.';
}

/** "Valid", "Valid, 3 warnings", "Repaired", "Invalid, 2 errors", "Not checked" (why in the title), "Checking…", "Cut off". */
export function badgeOf(v: ArtifactView): Badge {
  if (v.partial) { return { text: 'Cut off', className: 'status-invalid', title: 'The answer ended inside this block: it can be copied, not written.' }; }
  const { errors, warnings } = countsOf(v);
  const warned = warnings ? `, ${plural(warnings, 'warning')}` : '';
  switch (v.status) {
    case 'checking':
      return { text: 'Checking…', className: 'status-checking', title: 'The check is running.' };
    case 'valid':
      return { text: `Valid${warned}`, className: `status-valid${warnings ? ' has-warnings' : ''}`, title: warnings ? 'Passed its check; the warnings are listed below.' : 'Passed its check.' };
    case 'repaired':
      return { text: `Repaired${warned}`, className: `status-repaired${warnings ? ' has-warnings' : ''}`, title: 'Passed its check after the repairs listed below; the repaired text is what gets written.' };
    case 'invalid':
      return { text: errors ? `Invalid, ${plural(errors, 'error')}` : 'Invalid', className: 'status-invalid', title: 'Did not pass its check: see the problems below.' };
    case 'unchecked':
      return { text: 'Not checked', className: 'status-unchecked', title: `Not checked: ${uncheckedWhy(v)}` };
  }
}

/** What the card says about writing its file, and whether its write buttons are blocked (with why). */
export interface WriteState {
  /** The writer's words ("will create docs/api.yaml", "refused: …"); undefined until the host judged. */
  words?: string;
  action?: string;
  /** Set when Write to Workspace and Write as Migration cannot run: the reason their titles give. */
  blocked?: string;
}

/** The card's write verdict: refused and off block writing; create, replace, ask and choose do not. */
export function writeStateOf(v: ArtifactView): WriteState {
  const w = v.write;
  if (!w) { return {}; }
  const blocked = w.action === 'refused' || w.action === 'off' ? `Not written: ${w.words}` : undefined;
  return { words: w.words, action: w.action, blocked };
}

/** True when Write All would offer this file at all (the list then says what happens to each). */
export function offeredToWriteAll(v: ArtifactView): boolean {
  return !v.partial && v.status !== 'invalid' && v.status !== 'checking' && !v.written && !writeStateOf(v).blocked && v.write?.action !== 'choose';
}
