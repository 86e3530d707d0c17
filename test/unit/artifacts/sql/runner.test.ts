import * as assert from 'node:assert/strict';
import { TextIndex } from '../../../../src/artifacts/sql/positions';
import { problemFromError } from '../../../../src/artifacts/sql/runner';
import type { PlannedStatement } from '../../../../src/artifacts/sql/statements';

describe('Postgres errors on the person\'s lines', () => {
  const script = "-- header\nCREATE TABLE \"😀\" (x int,\n  y nosuchtype);\nCREATE TABLE b (a int REFERENCES public.nope(id));";
  const index = new TextIndex(script);
  const first: PlannedStatement = { type: 'CreateStmt', line: 2, column: 1, start: script.indexOf('CREATE'), verdict: { action: 'run', sql: '' } };
  const firstSql = script.slice(first.start, script.indexOf(';', first.start));

  it('maps a 1-based code-point position (after an astral character) to line and UTF-16 column', () => {
    const position = [...firstSql].findIndex((_, i, a) => a.slice(i).join('').startsWith('nosuchtype')) + 1;
    const p = problemFromError({ message: 'type "nosuchtype" does not exist', code: '42704', position: String(position) }, first, firstSql, index, []);
    assert.deepEqual(p, { line: 3, column: 5, message: 'type "nosuchtype" does not exist', severity: 'error', source: 'postgres:42704' });
  });

  it('discounts the savepoint prefix the runner sends before the statement', () => {
    const p = problemFromError({ message: 'x', code: '42704', position: 20 + 'SAVEPOINT ba_check; '.length }, first, firstSql, index, [], 'SAVEPOINT ba_check; '.length);
    assert.deepEqual([p.line, p.column], [2, 21], 'the 20th code point is the 21st UTF-16 unit: the emoji takes two');
  });

  it('points an error without a position at the name it quotes, never at Postgres\'s own source line', () => {
    const second: PlannedStatement = { ...first, line: 4, start: script.lastIndexOf('CREATE') };
    const sql = script.slice(second.start);
    const p = problemFromError({ message: 'relation "public.nope" does not exist', code: '42P01', line: '1452' } as never, second, sql, index, []);
    assert.deepEqual([p.line, p.column], [4, 41]);
    assert.doesNotMatch(p.message, /1452/);
  });

  it('adds detail and hint, and softens errors a missing extension or a same-transaction enum value explain', () => {
    const p = problemFromError({ message: 'type "geometry" does not exist', code: '42704', hint: 'h' }, first, firstSql, index, ['postgis']);
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /\(hint: h\) \(perhaps from extension postgis/);
    const q = problemFromError({ message: 'unsafe use of new value "x" of enum type s', code: '55P04', detail: 'd' }, first, firstSql, index, []);
    assert.equal(q.severity, 'warning');
    assert.match(q.message, /\. d \(it would work if/);
  });
});
