import * as assert from 'node:assert/strict';
import { isCopyFromStdin, preparePsqlScript } from '../../../../src/artifacts/sql/psqlScript';

describe('psql scripts', () => {
  it('empties meta-command lines, keeping every other line in place', () => {
    const text = '\\restrict abc\nCREATE TABLE a (id int);\n  \\connect db\nSELECT 1;\n\\unrestrict abc\n';
    const p = preparePsqlScript(text);
    assert.equal(p.sql, '\nCREATE TABLE a (id int);\n\nSELECT 1;\n\n');
    assert.deepEqual(p.notes.map(n => [n.kind, n.line, n.text]), [
      ['meta', 1, '\\restrict abc'], ['meta', 3, '\\connect db'], ['meta', 5, '\\unrestrict abc'],
    ]);
  });

  it('leaves a backslash line alone inside a string, a dollar quote or a block comment', () => {
    const text = "SELECT 'a\n\\not meta';\nCREATE FUNCTION f() RETURNS int AS $body$\n\\also not\n$body$ LANGUAGE sql;\n/* c\n\\nor this */";
    const p = preparePsqlScript(text);
    assert.equal(p.sql, text);
    assert.equal(p.notes.length, 0);
  });

  it('cuts COPY ... FROM stdin data up to the \\. line and counts its rows', () => {
    const text = 'COPY public.actor (actor_id, name) FROM stdin;\n1\tA\n2\tB\n\\.\nCREATE TABLE b (x int);\n';
    const p = preparePsqlScript(text);
    assert.equal(p.sql, 'COPY public.actor (actor_id, name) FROM stdin;\n\n\n\nCREATE TABLE b (x int);\n');
    assert.deepEqual(p.notes, [{ kind: 'copyData', line: 1, text: 'COPY public.actor (actor_id, name) FROM stdin;', rows: 2 }]);
  });

  it('finds top-level semicolons, not those in strings, identifiers, comments, bodies or parentheses', () => {
    const text = `SELECT ';'; -- ;\nSELECT "a;b"; /* ; */ CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2);\nSELECT $$;$$; SELECT E'\\';';`;
    const ends = preparePsqlScript(text).boundaries.map(b => text.slice(0, b).split('\n').pop());
    assert.deepEqual(ends, ["SELECT ';';", 'SELECT "a;b";', 'SELECT "a;b"; /* ; */ CREATE RULE r AS ON INSERT TO t DO (SELECT 1; SELECT 2);', 'SELECT $$;$$;', "SELECT $$;$$; SELECT E'\\';';"]);
  });

  it('recognises COPY FROM stdin behind comments, and nothing else', () => {
    assert.ok(isCopyFromStdin('-- data\nCOPY t (a) FROM stdin'));
    assert.ok(!isCopyFromStdin("COPY t FROM '/etc/passwd'"));
    assert.ok(!isCopyFromStdin('SELECT 1 FROM stdin'));
  });
});
