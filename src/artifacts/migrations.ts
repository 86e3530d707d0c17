/**
 * Recognises SQL migration sequences among file paths, so a folder of migrations is checked as one schema
 * built up in order rather than as files that each fail without their predecessors. Pure: paths in, groups
 * out. Layouts recognised:
 * - numbered files: `0001_init.sql`, `002-users.sql`, `20240101120000_add_orders.sql` (golang-migrate's
 *   `1_init.up.sql`; its `.down.sql` files are left out, they undo);
 * - Flyway: `V1__init.sql`, `V1.2__users.sql`, then repeatable `R__views.sql` after all versioned ones
 *   (undo `U1__x.sql` left out);
 * - Prisma: `migrations/<timestamp>_<name>/migration.sql`, one folder per step.
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
