/**
 * Where the next migration goes and what its file holds, in the folder's own convention: the next Flyway
 * version, the next timestamped Prisma folder, the next number (same width and separator) for numbered
 * files and golang-migrate (with a `.down.sql` when the folder keeps them), a timestamped file with up and
 * down sections for dbmate and goose. Pure: the folder description and the clock come in, paths and texts
 * go out; writing them is the caller's (the extension's writer, which confirms first).
 */
import * as path from 'node:path';
import type { MigrationFolder } from './migrations';

export interface NextMigrationInput {
  /** What the migration does, in a few words: becomes the file name's description. */
  name: string;
  /** The migration's SQL. */
  up: string;
  /** SQL that undoes it, for tools that keep down migrations (golang-migrate, dbmate, goose). */
  down?: string;
  /** The time stamped into timestamped names (default: now). */
  now?: Date;
}

/** A file to write: its path (under the folder's parent, like the folder's own paths) and its text. */
export interface MigrationFile {
  path: string;
  content: string;
}

/** A description safe in a file name: lower case, words joined by `_`. */
export function migrationSlug(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60).replace(/_+$/, '');
  return slug || 'schema_change';
}

/** `YYYYMMDDHHMMSS` in UTC, moved past `after` when the clock is behind the folder's newest step. */
function timestamp(now: Date, after: string | undefined): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return after && after.length === 14 && stamp <= after ? String(BigInt(after) + 1n) : stamp;
}

/** The last step's leading number as written (`000006` from `000006_users.up.sql`). */
const leadingNumber = (file: string): string | undefined => /^(\d+)/.exec(path.basename(file))?.[1];

/** The next number in the width of the last one, or a timestamp when the folder numbers by time. */
function nextNumber(last: string | undefined, now: Date): string {
  if (!last) { return '0001'; }
  if (last.length === 14) { return timestamp(now, last); }
  return String(BigInt(last) + 1n).padStart(last.length, '0');
}

function flywayName(folder: MigrationFolder, slug: string, now: Date): string {
  const versioned = folder.files.map(f => path.basename(f)).filter(b => /^V\d/i.test(b));
  const last = versioned.at(-1);
  const version = last ? /^V([\d._]+?)__/i.exec(last)?.[1] : undefined;
  if (!version) { return `V1__${slug}.sql`; }
  const parts = version.split(/([._])/);
  const final = parts[parts.length - 1];
  parts[parts.length - 1] = final.length === 14 && parts.length === 1 ? timestamp(now, final) : String(Number(final) + 1);
  return `V${parts.join('')}__${slug}.sql`;
}

/**
 * The files of the folder's next migration. With no down SQL the down file or section is left empty
 * (golang-migrate and dbmate accept that), never invented.
 */
export function nextMigrationFiles(folder: MigrationFolder, input: NextMigrationInput): MigrationFile[] {
  const slug = migrationSlug(input.name);
  const now = input.now ?? new Date();
  const up = input.up.endsWith('\n') ? input.up : `${input.up}\n`;
  const down = input.down ? (input.down.endsWith('\n') ? input.down : `${input.down}\n`) : '';
  const last = folder.files.at(-1);
  const inDir = (name: string): string => path.join(folder.dir, name);
  switch (folder.tool) {
    case 'prisma': {
      const lastStamp = last ? /^(\d+)/.exec(path.basename(path.dirname(last)))?.[1] : undefined;
      return [{ path: inDir(path.join(`${timestamp(now, lastStamp)}_${slug}`, 'migration.sql')), content: up }];
    }
    case 'flyway':
      return [{ path: inDir(flywayName(folder, slug, now)), content: up }];
    case 'golang-migrate': {
      const n = nextNumber(last && leadingNumber(last), now);
      const keepsDown = folder.notRead.some(f => /\.down\.sql$/i.test(f.file));
      return [
        { path: inDir(`${n}_${slug}.up.sql`), content: up },
        ...(keepsDown || down ? [{ path: inDir(`${n}_${slug}.down.sql`), content: down }] : []),
      ];
    }
    case 'dbmate':
      return [{ path: inDir(`${timestamp(now, last && leadingNumber(last))}_${slug}.sql`), content: `-- migrate:up\n${up}\n-- migrate:down\n${down}` }];
    case 'goose': {
      // StatementBegin/End: goose would otherwise split function bodies at their semicolons.
      const section = (sql: string): string => sql ? `-- +goose StatementBegin\n${sql}-- +goose StatementEnd\n` : '';
      return [{ path: inDir(`${nextNumber(last && leadingNumber(last), now)}_${slug}.sql`), content: `-- +goose Up\n${section(up)}\n-- +goose Down\n${section(down)}` }];
    }
    default: {
      const base = last ? path.basename(last) : '';
      const separator = /^\d+-/.test(base) ? '-' : '_';
      return [{ path: inDir(`${nextNumber(last && leadingNumber(last), now)}${separator}${slug}.sql`), content: up }];
    }
  }
}
