import type { ArtifactView, TurnRecord, WriteVerdictView } from '../protocol';
import type { Artifact, ArtifactProblem, ValidationResult } from './types';

export type Validate = (artifact: Artifact) => Promise<ValidationResult>;
/** One repair turn: sends the problems back to the model, returns the corrected block's content (or nothing). */
export type RepairTurn = (artifact: Artifact, problems: ArtifactProblem[]) => Promise<string | undefined>;

/** How many times the model is asked to correct a block that failed its check (after deterministic fixes). */
export const maxRepairTurns = 2;
/** Kinds whose checks a model can act on. */
const repairable = new Set(['openapi', 'mermaid', 'sql']);
export type Extract = (answer: string, options: { final: boolean }) => Artifact[];
/** Differences between the ER diagram Postgres built and the model's own ER diagram (warnings on the model's lines). */
export type CompareEr = (built: string, modelEr: string) => ArtifactProblem[];
/** Incremental extraction while an answer streams: each push returns the blocks that closed. */
export interface Streamer { push(delta: string): Artifact[]; }

/** The writer's verdict on a suggested path, as a card shows it (see writePlan.ts). */
export type JudgeWrite = (suggestedPath: string | undefined) => WriteVerdictView;

/** At most this many problems travel to the webview per artifact; the rest are counted. */
const maxProblemsShown = 20;

/** An artifact with what validation made of it: the content to write is the repaired one when there is one. */
export interface TrackedArtifact {
  artifact: Artifact;
  view: ArtifactView;
  content: string;
}

/** A review's ```findings block is data for the Problems panel, not a file to write. */
function isFile(a: Artifact): boolean {
  return a.language !== 'findings';
}

function toView(a: Artifact): ArtifactView {
  return { id: a.id, kind: a.kind, language: a.language, path: a.path, status: 'checking', problems: [], partial: a.unterminated || undefined, line: a.startLine };
}

function applyResult(view: ArtifactView, r: ValidationResult): void {
  view.status = r.status;
  const problems = r.problems.slice(0, maxProblemsShown).map(p => ({ line: p.line, column: p.column, message: p.message, severity: p.severity }));
  if (r.problems.length > maxProblemsShown) {
    problems.push({ line: 1, column: undefined, message: `… and ${r.problems.length - maxProblemsShown} more problems`, severity: 'info' });
  }
  view.problems = problems;
  view.counts = { errors: r.problems.filter(p => p.severity === 'error').length, warnings: r.problems.filter(p => p.severity === 'warning').length };
  view.changes = r.changes?.length ? r.changes : undefined;
  // The models of the Rendered tab, computed here from what the check parsed: the webview only draws them.
  view.endpoints = r.endpoints;
  view.tables = r.tables;
}

/**
 * Takes the artifacts out of finished answers, validates them one by one, and remembers them so the host can
 * act on an artifact by id: the webview only ever names an id, never a path or content (THREATS T3).
 */
export class ArtifactTracker {
  private readonly byTurn = new Map<string, TrackedArtifact[]>();

  constructor(private readonly extract: Extract, private readonly validate: Validate, private readonly repairTurn?: RepairTurn,
    private readonly newStreamer?: () => Streamer, private readonly compareEr?: CompareEr, private readonly judge?: JudgeWrite) {}

  /** A card for an artifact, with the writer's verdict on its path when a judge was given. */
  private view(a: Artifact): ArtifactView {
    const v = toView(a);
    if (this.judge) { v.write = this.judge(a.path); }
    return v;
  }

  /** Puts on the model's ER diagram what differs from the schema Postgres actually built. */
  private compareWithBuiltEr(tracked: TrackedArtifact[]): boolean {
    const built = tracked.find(t => t.view.title && /^\s*erDiagram/m.test(t.content));
    const models = tracked.filter(t => !t.view.title && t.artifact.kind === 'mermaid' && /^\s*erDiagram/m.test(t.content));
    if (!built || !this.compareEr) { return false; }
    let changed = false;
    for (const m of models) {
      const diff = this.compareEr(built.content, m.content);
      if (!diff.length) { continue; }
      changed = true;
      m.view.problems = [...m.view.problems, ...diff.map(p => ({ line: p.line, column: p.column, message: `Differs from the schema: ${p.message}`, severity: p.severity }))];
      const counts = m.view.counts ?? { errors: 0, warnings: 0 };
      m.view.counts = { errors: counts.errors + diff.filter(p => p.severity === 'error').length, warnings: counts.warnings + diff.filter(p => p.severity === 'warning').length };
    }
    return changed;
  }

  /**
   * For an answer that is streaming: feed it the deltas; it returns the cards to show whenever a block closed
   * (so a file appears as soon as the model finished writing it), and undefined otherwise.
   */
  watch(): ((delta: string) => ArtifactView[] | undefined) | undefined {
    const streamer = this.newStreamer?.();
    if (!streamer) { return undefined; }
    const closed: ArtifactView[] = [];
    return delta => {
      const found = streamer.push(delta).filter(isFile);
      if (!found.length) { return undefined; }
      closed.push(...found.map(a => this.view(a)));
      return closed.map(v => ({ ...v }));
    };
  }

  /**
   * Up to two repair turns for an invalid artifact: the model gets the validator's problems and returns the
   * corrected block only, which is checked again. Returns the repaired result, or the last one.
   */
  private async repairWithModel(artifact: Artifact, first: ValidationResult): Promise<ValidationResult> {
    let result = first;
    let content = artifact.content;
    for (let turn = 1; turn <= maxRepairTurns && this.repairTurn && result.status === 'invalid' && repairable.has(artifact.kind) && !artifact.unterminated; turn++) {
      const fixed = await this.repairTurn({ ...artifact, content }, result.problems).catch(() => undefined);
      if (!fixed || fixed === content) { break; }
      content = fixed;
      const again = await this.validate({ ...artifact, content: fixed });
      const firstProblem = first.problems.find(p => p.severity === 'error') ?? first.problems[0];
      if (again.status === 'valid' || again.status === 'repaired') {
        return { status: 'repaired', problems: again.problems, repaired: again.repaired ?? fixed,
          changes: [...(again.changes ?? []), `corrected by the model in repair turn ${turn}${firstProblem ? ` (was: line ${firstProblem.line}: ${firstProblem.message})` : ''}`] };
      }
      result = again;
    }
    return result;
  }

  /**
   * Extracts and validates the artifacts of an answer, calling `update` after each step with every view.
   * A complete answer yields its blocks; a cut-off one only its closed blocks (plus the open one, marked partial).
   */
  async analyse(turn: TurnRecord, update: (views: ArtifactView[]) => void): Promise<ArtifactView[]> {
    const artifacts = this.extract(turn.text, { final: true }).filter(isFile);
    const tracked = artifacts.map(a => ({ artifact: a, view: this.view(a), content: a.content }));
    this.byTurn.set(turn.id, tracked);
    const views = (): ArtifactView[] => tracked.map(t => ({ ...t.view }));
    turn.artifacts = views();
    if (tracked.length) { update(views()); }
    for (const t of tracked.slice()) {
      let result: ValidationResult;
      try {
        result = await this.repairWithModel(t.artifact, await this.validate(t.artifact));
      } catch (e) {
        result = { status: 'unchecked', problems: [{ line: 1, severity: 'info', message: `Could not be checked: ${(e as Error).message}` }] };
      }
      applyResult(t.view, result);
      if (result.repaired !== undefined) { t.content = result.repaired; }
      // What the checker built from an artifact (the ER diagram of the schema Postgres actually created) is
      // offered as a file of its own, right after it.
      (result.derived ?? []).forEach((d, i) => {
        const base = t.artifact.path ? t.artifact.path.replace(/\.[^./]+$/, '') : 'docs/schema';
        const artifact: Artifact = { id: `${t.artifact.id}d${i + 1}`, kind: d.kind, language: d.language, path: `${base}.er.mmd`, startLine: t.artifact.startLine,
          content: d.content, sniffed: false, unterminated: false };
        tracked.splice(tracked.indexOf(t) + 1 + i, 0, { artifact, view: { ...this.view(artifact), status: 'valid', title: d.title }, content: d.content });
      });
      turn.artifacts = views();
      update(views());
    }
    if (this.compareWithBuiltEr(tracked)) {
      turn.artifacts = views();
      update(views());
    }
    return views();
  }

  /** Re-creates what a restored turn had (after a reload) without validating again. */
  restore(turn: TurnRecord): void {
    if (!turn.artifacts?.length || this.byTurn.has(turn.id)) { return; }
    const artifacts = this.extract(turn.text, { final: true }).filter(isFile);
    this.byTurn.set(turn.id, artifacts.map(a => {
      const view = turn.artifacts!.find(v => v.id === a.id) ?? toView(a);
      // Files may have come or gone since: the verdict is judged again, never restored.
      if (this.judge) { view.write = this.judge(view.path); }
      return { artifact: a, view, content: a.content };
    }));
  }

  get(turnId: string, artifactId: string): TrackedArtifact | undefined {
    return this.byTurn.get(turnId)?.find(t => t.artifact.id === artifactId);
  }

  all(turnId: string): TrackedArtifact[] {
    return this.byTurn.get(turnId) ?? [];
  }

  /** Records where an artifact was written, for the card and the transcript. */
  markWritten(turn: TurnRecord, artifactId: string, relativePath: string): void {
    const t = this.get(turn.id, artifactId);
    if (t) {
      t.view.written = relativePath;
      // The file exists now: writing it again would replace it.
      if (this.judge) { t.view.write = this.judge(t.view.path); }
    }
    turn.artifacts = this.all(turn.id).map(x => ({ ...x.view }));
  }

  /** After an undo: the artifacts written to one of `paths` are no longer on disk as written. True when any changed. */
  markUnwritten(turn: TurnRecord, paths: ReadonlySet<string>): boolean {
    const undone = this.all(turn.id).filter(t => t.view.written !== undefined && paths.has(t.view.written));
    for (const t of undone) {
      t.view.written = undefined;
      // What writing it would do now (create again, or replace what the undo put back).
      if (this.judge) { t.view.write = this.judge(t.view.path); }
    }
    if (undone.length) { turn.artifacts = this.all(turn.id).map(x => ({ ...x.view })); }
    return undone.length > 0;
  }
}
