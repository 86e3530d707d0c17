/**
 * Write as Migration, the parts that need no editor: which folder of a workspace holds its SQL migration
 * history, the name a card's path suggests, and the words of the confirmation that lists what the migration
 * does (what loses data and what rests on a guess first). Pure: paths and the plan in, text out.
 */
import * as path from 'node:path';
import { classifyPath } from '../context/classify';
import type { MigrationTool } from './migrations';
import type { MigrationPlan } from './sql/migrate';

/** A folder that may hold a migration history, with its SQL files (workspace-relative, '/' separated). */
export interface MigrationFolderCandidate {
  dir: string;
  files: string[];
}

/** The folder a migration step belongs to: its own, or for Prisma's `<stamp>_name/migration.sql` the one above. */
function stepDir(file: string): string {
  const dir = path.posix.dirname(file);
  return path.posix.basename(file) === 'migration.sql' ? path.posix.dirname(dir) : dir;
}

/**
 * Folders holding SQL files the scanner classifies as migrations (`db/migrations/`, `prisma/migrations/`,
 * Flyway's `db/migration/`, ...), the one with the most files first. Tests and dependencies never count.
 */
export function migrationFolderCandidates(paths: readonly string[]): MigrationFolderCandidate[] {
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    if (!/\.sql$/i.test(p) || classifyPath(p).role !== 'migration') { continue; }
    const dir = stepDir(p);
    if (dir === '.' || dir === '') { continue; }
    byDir.set(dir, [...(byDir.get(dir) ?? []), p]);
  }
  return [...byDir].map(([dir, files]) => ({ dir, files: files.sort() }))
    .sort((a, b) => b.files.length - a.files.length || a.dir.split('/').length - b.dir.split('/').length || a.dir.localeCompare(b.dir));
}

/** Whether the tool keeps a down migration beside each up one (golang-migrate, dbmate, goose): then one is written too. */
export function keepsDownMigrations(tool: MigrationTool): boolean {
  return tool !== 'prisma' && tool !== 'flyway' && tool !== 'numbered';
}

/** File names that say nothing about a change: the migration is then called "schema change". */
const GENERIC = new Set(['schema', 'database', 'db', 'ddl', 'init', 'dump', 'tables', 'model', 'models', 'migration', 'structure', 'create']);

/** The name a card's path suggests for its migration: `db/add_orders.sql` gives "add orders". */
export function migrationNameFor(cardPath: string | undefined): string {
  const base = path.posix.basename((cardPath ?? '').replace(/\\/g, '/')).replace(/(?:\.up)?\.sql$/i, '');
  const words = base.replace(/^V\d+(?:[._]\d+)*__/i, '').replace(/^\d+[_-]/, '').replace(/[_\-.\s]+/g, ' ').trim().toLowerCase();
  return words && !GENERIC.has(words) ? words : 'schema change';
}

/** What the confirmation of Write as Migration says. */
export interface MigrationSummary {
  /** One line: "Write db/migration/V3__x.sql?" with how many steps need reading. */
  message: string;
  /** Every step, those that lose data or rest on a guess first and marked; then the check's verdict and notes. */
  detail: string;
  /** The steps that need a yes: `DESTRUCTIVE: …` and `GUESS: …` lines. */
  risky: string[];
  /** True when applying the SQL after the migrations did not give the card's schema. */
  unverified: boolean;
}

/** The confirmation for writing `plan` as `files` (the first names the migration). */
export function summarizeMigration(plan: MigrationPlan, files: readonly string[]): MigrationSummary {
  const risky = plan.steps.filter(s => s.destructive || s.guess)
    .map(s => (s.destructive ? `DESTRUCTIVE: ${s.summary} (${s.destructive})` : `GUESS: ${s.summary} (${s.guess})`));
  const plain = plan.steps.filter(s => !s.destructive && !s.guess).map(s => (s.warning ? `${s.summary} (may fail on a table with rows: ${s.warning})` : s.summary));
  const unverified = plan.verified?.ok === false;
  const lines: string[] = [];
  if (risky.length) { lines.push(`Read these first: ${risky.length === 1 ? 'this step loses data or rests on a guess' : 'these steps lose data or rest on a guess'}:`, ...risky.map(r => `• ${r}`), ''); }
  if (plain.length) { lines.push(risky.length ? 'Also:' : 'Steps:', ...plain.map(p => `• ${p}`), ''); }
  if (unverified) {
    lines.push('Warning: applying this SQL after the existing migrations does not give the card\'s schema:', ...(plan.verified?.differences ?? []).slice(0, 10).map(d => `• ${d}`), '');
  } else if (plan.verified?.ok) {
    lines.push('Checked in the embedded Postgres: the existing migrations plus this one give the card\'s schema.', '');
  }
  for (const n of plan.notes.slice(0, 10)) { lines.push(`Note: ${n}`); }
  if (files.length > 1) { lines.push(`Files: ${files.join(', ')}`); }
  const steps = `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`;
  const read = risky.length ? `, ${risky.length} to read first` : '';
  return { message: `Write ${files[0] ?? 'the migration'} (${steps}${read})?`, detail: lines.join('\n').trim(), risky, unverified };
}
