import * as assert from 'node:assert/strict';
import type { Catalog } from '../../../../src/artifacts/sql/catalog';
import { compareErDiagrams, erDiagramFromCatalog, normalizeEntityName, parseMermaidEr } from '../../../../src/artifacts/sql/erDiagram';
import { importEsm } from './sqlTestSupport';

const col = (name: string, type: string, num: number, notNull = true) => ({ name, type, num, notNull });

/** users 1—n orders (required FK), users 1—1 profiles (FK is the PK), orders n—0..1 coupons (nullable FK). */
const catalog: Catalog = {
  tables: [
    { oid: 1, schema: 'public', name: 'users', columns: [col('id', 'integer', 1), col('email', 'character varying(255)', 2)] },
    { oid: 2, schema: 'public', name: 'orders', columns: [col('id', 'integer', 1), col('user_id', 'integer', 2), col('coupon_id', 'integer', 3, false)] },
    { oid: 3, schema: 'public', name: 'profiles', columns: [col('user_id', 'integer', 1)] },
    { oid: 4, schema: 'public', name: 'coupons', columns: [col('id', 'integer', 1), col('code', 'text', 2)] },
    { oid: 5, schema: 'billing', name: 'invoice lines', columns: [col('order_id', 'integer', 1)] },
  ],
  constraints: [
    { table: 1, name: 'users_pkey', type: 'p', columns: [1] },
    { table: 1, name: 'users_email_key', type: 'u', columns: [2] },
    { table: 2, name: 'orders_pkey', type: 'p', columns: [1] },
    { table: 2, name: 'orders_user_id_fkey', type: 'f', columns: [2], refTable: 1, refColumns: [1] },
    { table: 2, name: 'orders_coupon_id_fkey', type: 'f', columns: [3], refTable: 4, refColumns: [1] },
    { table: 3, name: 'profiles_pkey', type: 'p', columns: [1] },
    { table: 3, name: 'profiles_user_id_fkey', type: 'f', columns: [1], refTable: 1, refColumns: [1] },
    { table: 4, name: 'coupons_pkey', type: 'p', columns: [1] },
    { table: 5, name: 'lines_order_fkey', type: 'f', columns: [1], refTable: 2, refColumns: [1] },
  ],
  uniqueIndexes: [{ table: 4, columns: [2] }],
};

describe('ER diagrams', () => {
  it('draws tables, typed columns with keys, and relationships with cardinality from the foreign keys', () => {
    const er = erDiagramFromCatalog(catalog);
    assert.equal(er, [
      'erDiagram',
      '    users {', '        integer id PK', '        character_varying(255) email UK', '    }',
      '    orders {', '        integer id PK', '        integer user_id FK', '        integer coupon_id FK', '    }',
      '    profiles {', '        integer user_id PK, FK', '    }',
      '    coupons {', '        integer id PK', '        text code', '    }',
      '    "invoice lines" {', '        integer order_id FK', '    }',
      '    users ||..o{ orders : "user_id"',
      '    coupons |o..o{ orders : "coupon_id"',
      '    users ||--o| profiles : "user_id"',
      '    orders ||..o{ "invoice lines" : "order_id"',
      '',
    ].join('\n'));
  });

  it('draws nothing for a schema without tables', () => {
    assert.equal(erDiagramFromCatalog({ tables: [], constraints: [], uniqueIndexes: [] }), '');
  });

  it('qualifies a table name only when two schemas share it', () => {
    const two: Catalog = { tables: [{ oid: 1, schema: 'a', name: 't', columns: [] }, { oid: 2, schema: 'b', name: 't', columns: [] }], constraints: [], uniqueIndexes: [] };
    assert.match(erDiagramFromCatalog(two), /"a\.t" \{[\s\S]*"b\.t" \{/);
  });

  it('draws diagrams mermaid itself parses', async function () {
    this.timeout(30_000);
    const mermaid = (await importEsm('mermaid')).default;
    assert.equal((await mermaid.parse(erDiagramFromCatalog(catalog))).diagramType, 'er');
  });

  it('reads entities (with aliases) and relationships in symbol and word form from mermaid text', () => {
    const model = parseMermaidEr([
      '%% the shop', 'erDiagram', '  CUSTOMER ||--o{ ORDER : places', '  ORDER ||--|{ "LINE-ITEM" : contains',
      '  p[Person] {', '    string name', '  }', '  CUSTOMER one or more to zero or many ADDRESS : "lives at"', '  EMPTY {}',
    ].join('\n'));
    assert.equal(model.headerLine, 2);
    assert.deepEqual(model.entities.map(e => [e.id, e.alias, e.line]), [
      ['CUSTOMER', undefined, 3], ['ORDER', undefined, 3], ['LINE-ITEM', undefined, 4], ['p', 'Person', 5], ['ADDRESS', undefined, 8], ['EMPTY', undefined, 9],
    ]);
    assert.deepEqual(model.relations.map(r => [r.from, r.to, r.label, r.line]), [
      ['CUSTOMER', 'ORDER', 'places', 3], ['ORDER', 'LINE-ITEM', 'contains', 4], ['CUSTOMER', 'ADDRESS', 'lives at', 8],
    ]);
  });

  it('folds case, schema and plurals in names', () => {
    assert.deepEqual(['USERS', 'public.user', 'Categories', 'addresses', 'order_items', 'status'].map(normalizeEntityName),
      ['user', 'user', 'category', 'address', 'orderitem', 'statu']);
  });

  it('finds no difference when the model draws what the SQL built (plural and case aside)', () => {
    const built = erDiagramFromCatalog(catalog);
    const model = 'erDiagram\n  USER ||--o{ ORDER : places\n  USER ||--|| PROFILE : has\n  COUPON |o--o{ ORDER : discounts\n  ORDER ||--o{ INVOICE_LINES : bills';
    assert.deepEqual(compareErDiagrams(built, model.replace('INVOICE_LINES', '"invoice lines"')), []);
  });

  it('reports entities and relationships found on one side only, on the model diagram\'s lines', () => {
    const built = erDiagramFromCatalog(catalog);
    const model = 'erDiagram\n  USER ||--o{ ORDER : places\n  USER ||--o{ REVIEW : writes\n  PROFILE ||--o{ ORDER : "odd link"';
    assert.deepEqual(compareErDiagrams(built, model).map(p => [p.line, p.severity, p.message]), [
      [3, 'warning', '"REVIEW" is in the ER diagram, but the SQL creates no such table'],
      [4, 'warning', 'the relationship PROFILE – ORDER in the ER diagram has no foreign key between those tables in the SQL'],
      [1, 'warning', 'table "coupons" is created by the SQL but is missing from the ER diagram'],
      [1, 'warning', 'table "invoice lines" is created by the SQL but is missing from the ER diagram'],
      [1, 'warning', 'the foreign key profiles → users (user_id) is missing from the ER diagram'],
    ]);
  });
});
