/**
 * Recognises SQL migration sequences among file paths, so a folder of migrations is checked as one schema
 * built up in order rather than as files that each fail without their predecessors. Pure: paths in, groups
 * out. Layouts recognised:
 * - numbered files: `0001_init.sql`, `002-users.sql`, `20240101120000_add_orders.sql` (golang-migrate's
 *   `1_init.up.sql`; its `.down.sql` files are left out, they undo);
 * - Flyway: `V1__init.sql`, `V1.2__users.sql`, then repeatable `R__views.sql` after all versioned ones
 *   (undo `U1__x.sql` left out);
 * - Prisma: `migrations/<timestamp>_<name>/migration.sql`, one folder per step;
 * - dbmate (`-- migrate:up` / `-- migrate:down` in one file) and goose (`-- +goose Up` / `Down`): numbered
 *   or timestamped files of which only the up part is applied (`migrationUpText`).
 * Migrations written as code (Knex, Alembic, Rails, Laravel, EF Core, Flyway Java, goose Go) and Liquibase
 * changelogs are not read: `describeMigrationFolder` lists them with the reason.
 */
import * as path from 'node:path';

export interface MigrationSequence {
  /** The folder holding the sequence; the CLI's `file` field names it. */
  dir: string;
  /** Files in the order they apply. */
  files: string[];
}

const NUMBERED = /^(\d+)[_-][^/\\]*?(?:\.up)?\.sql$/i;
const FLYWAY = /^V(\d+(?:[._]\d+)*)__[^/\\]*\.sql$/i;
const FLYWAY_REPEATABLE = /^R__[^/\\]*\.sql$/i;
const LEFT_OUT = /(?:\.down\.sql$|^U\d+(?:[._]\d+)*__)/i;

interface Step {
  file: string;
  version: number[];
  repeatable: boolean;
}

function stepOf(file: string): Step | undefined {
  const base = path.basename(file);
  if (base === 'migration.sql') {
    // Prisma: the version is the folder name's leading timestamp.
    const folder = path.basename(path.dirname(file));
    const m = /^(\d+)/.exec(folder);
    return m ? { file, version: [Number(m[1])], repeatable: false } : undefined;
  }
  const flyway = FLYWAY.exec(base);
  if (flyway) { return { file, version: flyway[1].split(/[._]/).map(Number), repeatable: false }; }
  if (FLYWAY_REPEATABLE.test(base)) { return { file, version: [], repeatable: true }; }
  const numbered = NUMBERED.exec(base);
  return numbered ? { file, version: [Number(numbered[1])], repeatable: false } : undefined;
}

function compareVersions(a: Step, b: Step): number {
  if (a.repeatable !== b.repeatable) { return a.repeatable ? 1 : -1; }
  for (let i = 0; i < Math.max(a.version.length, b.version.length); i++) {
    const d = (a.version[i] ?? 0) - (b.version[i] ?? 0);
    if (d !== 0) { return d; }
  }
  return a.file.localeCompare(b.file);
}

/** The folder a step belongs to: its own folder, or for Prisma the `migrations` folder above it. */
function sequenceDir(file: string): string {
  const dir = path.dirname(file);
  return path.basename(file) === 'migration.sql' ? path.dirname(dir) : dir;
}

/**
 * Splits SQL file paths into migration sequences (two or more steps in one folder) and the files that
 * stand alone. `.down.sql` and Flyway undo files are dropped from both.
 */
export function groupMigrations(sqlFiles: string[]): { sequences: MigrationSequence[]; standalone: string[] } {
  const byDir = new Map<string, Step[]>();
  const standalone: string[] = [];
  for (const file of sqlFiles) {
    if (LEFT_OUT.test(path.basename(file))) { continue; }
    const step = stepOf(file);
    if (!step) {
      standalone.push(file);
      continue;
    }
    const dir = sequenceDir(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), step]);
  }
  const sequences: MigrationSequence[] = [];
  for (const [dir, steps] of byDir) {
    if (steps.length < 2) {
      standalone.push(...steps.map(s => s.file));
      continue;
    }
    sequences.push({ dir, files: steps.sort(compareVersions).map(s => s.file) });
  }
  return { sequences: sequences.sort((a, b) => a.dir.localeCompare(b.dir)), standalone: standalone.sort() };
}

/** The tool a folder of SQL migrations is written for, as far as its names and markers tell. */
export type MigrationTool = 'prisma' | 'flyway' | 'golang-migrate' | 'dbmate' | 'goose' | 'numbered';

/** One folder of migrations: the SQL steps in order, and the files that are migrations but are not read. */
export interface MigrationFolder {
  /** The folder (as given). */
  dir: string;
  tool: MigrationTool;
  /** SQL files applied, in order, as paths under `dir`'s parent form (`dir/...`). */
  files: string[];
  /** Files that look like migrations but are not applied, each with the reason. */
  notRead: Array<{ file: string; reason: string }>;
}

const DBMATE_UP = /^--\s*migrate:up\b/m;
const DBMATE_DOWN = /^--\s*migrate:down\b/m;
const GOOSE_UP = /^--\s*\+goose\s+up\b/im;
const GOOSE_DOWN = /^--\s*\+goose\s+down\b/im;

/**
 * The part of a migration that applies: a dbmate or goose file holds its undo after a marker, which must
 * not run. Lines keep their numbers (the text is cut, not shifted), so problems point at the file's lines.
 */
export function migrationUpText(content: string): string {
  for (const [up, down] of [[DBMATE_UP, DBMATE_DOWN], [GOOSE_UP, GOOSE_DOWN]]) {
    if (!up.test(content)) { continue; }
    const at = down.exec(content);
    return at ? content.slice(0, at.index) : content;
  }
  return content;
}

const codeMigrations: Array<[RegExp, string]> = [
  [/\.(?:js|mjs|cjs|ts|mts|cts)$/i, 'written as JavaScript/TypeScript code (Knex, Sequelize, TypeORM, node-pg-migrate, ...): not read'],
  [/\.py$/i, 'written as Python code (Alembic, Django): not read'],
  [/\.rb$/i, 'written as Ruby code (Rails): not read'],
  [/\.php$/i, 'written as PHP code (Laravel, Doctrine): not read'],
  [/\.cs$/i, 'written as C# code (EF Core): not read'],
  [/\.go$/i, 'written as Go code (goose, golang-migrate): not read'],
  [/\.(?:java|kt)$/i, 'written as Java/Kotlin code (Flyway Java migrations): not read'],
  [/changelog[^/\\]*\.(?:xml|ya?ml|json)$/i, 'a Liquibase changelog: not read'],
  [/(?:^|[/\\])schema\.prisma$/i, 'the Prisma schema: its migration folders are read instead'],
];

/** Why a file in a migrations folder is not applied, or undefined when it is (or is no migration at all). */
function notReadReason(file: string): string | undefined {
  const base = path.basename(file);
  if (/\.down\.sql$/i.test(base)) { return 'a down migration: it undoes a step, it is not applied'; }
  if (/^U\d+(?:[._]\d+)*__/i.test(base)) { return 'a Flyway undo migration: it is not applied'; }
  if (/\.sql$/i.test(base)) { return stepOf(file) ? undefined : 'not named as a migration step (number, V1__, or a Prisma folder): not applied'; }
  return codeMigrations.find(([re]) => re.test(file))?.[1];
}

/**
 * Reads a folder of migrations from the list of its files (`dir/...` paths) and, for the SQL ones, their
 * text (only to spot dbmate and goose markers). Pure: the caller lists and reads.
 */
export function describeMigrationFolder(dir: string, files: Array<{ path: string; content?: string }>): MigrationFolder {
  const notRead: MigrationFolder['notRead'] = [];
  const steps: Step[] = [];
  for (const f of files) {
    const reason = notReadReason(f.path);
    if (reason) { notRead.push({ file: f.path, reason }); continue; }
    const step = /\.sql$/i.test(f.path) ? stepOf(f.path) : undefined;
    if (step) { steps.push(step); }
  }
  const ordered = steps.sort(compareVersions).map(s => s.file);
  const texts = files.filter(f => ordered.includes(f.path)).map(f => f.content ?? '');
  const base = ordered.map(f => path.basename(f));
  let tool: MigrationTool = 'numbered';
  if (base.includes('migration.sql')) { tool = 'prisma'; } else if (base.some(b => FLYWAY.test(b) || FLYWAY_REPEATABLE.test(b))) { tool = 'flyway'; } else if (base.some(b => /\.up\.sql$/i.test(b))) { tool = 'golang-migrate'; } else if (texts.some(t => DBMATE_UP.test(t))) { tool = 'dbmate'; } else if (texts.some(t => GOOSE_UP.test(t))) { tool = 'goose'; }
  return { dir, tool, files: ordered, notRead: notRead.sort((a, b) => a.file.localeCompare(b.file)) };
}
