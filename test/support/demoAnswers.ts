/**
 * Recorded answers for the demo server (`npm start` without a configured model) and the UI tests. Each says
 * it is a demo, so nobody mistakes it for a model's advice.
 */
import type { RecordedRequest, ScriptedAnswer } from './modelServer';

const banner = '> **Demo answer.** This text is recorded, not generated: configure a provider in Settings (Backend Architect) to get real designs.\n\n';

export const demoDesign = `${banner}## Architecture

A modular monolith first: **catalog**, **orders** and **customers** as modules with their own tables, one
PostgreSQL database, and an outbox for events other systems need. Split a module out only when its load or
release cadence differs.

\`\`\`mermaid file=docs/architecture/services.mmd
flowchart LR
  client[Web / mobile client] --> api[API gateway]
  api --> catalog[Catalog module]
  api --> orders[Orders module]
  orders --> db[(PostgreSQL)]
  catalog --> db
  orders --> outbox[Outbox relay] --> bus[[Event bus]]
\`\`\`

## API

\`\`\`yaml file=docs/api/openapi.yaml
openapi: 3.1.0
info:
  title: Shop API
  version: 1.0.0
paths:
  /orders:
    post:
      operationId: createOrder
      summary: Place an order
      responses:
        '201':
          description: Created
\`\`\`

## Schema

\`\`\`sql file=db/schema.sql
CREATE TABLE customer (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE
);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customer(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
\`\`\`

## Risks

- **Stock oversell** under concurrent orders: reserve stock in the same transaction (\`SELECT … FOR UPDATE\`).
- **Retried POSTs** create duplicate orders: accept an \`Idempotency-Key\` header.
`;

export const demoReview = `${banner}## Findings

1. **High: orders are created without validation** (\`routes/orders.js\`): a request with a negative quantity
   or an unknown product reaches the database. Validate the body against the API contract.
2. **Medium: stock is never reserved** (\`routes/orders.js\`): two customers can buy the last item.
3. **Low: one Prisma client per process** (\`db/client.js\`) is right; size its pool to the database's limit.

\`\`\`mermaid file=docs/architecture/as-is.mmd
flowchart LR
  server[server.js] --> products[routes/products.js]
  server --> orders[routes/orders.js]
  products --> client[db/client.js]
  orders --> client
  client --> pg[(PostgreSQL)]
\`\`\`

\`\`\`findings
[
  {"severity": "error", "title": "Order requests are not validated", "rationale": "A negative quantity or an unknown product reaches the database. Validate the body against the API contract before creating the order.", "file": "routes/orders.js", "line": 7},
  {"severity": "warning", "title": "Stock is never reserved", "rationale": "Two customers can buy the last item. Decrement stock in the same transaction as the order, with SELECT ... FOR UPDATE.", "file": "routes/orders.js", "line": 9},
  {"severity": "info", "title": "Size the connection pool", "rationale": "One Prisma client per process is right; set its pool size to what the database allows.", "file": "db/client.js", "line": 4}
]
\`\`\`
`;

export const demoChat = `${banner}PostgreSQL fits this shop: orders and stock need transactions, and the data is relational. Keep
read-heavy catalog queries fast with an index on \`product(name)\` and a short-lived cache in front of the
product list.
`;

/**
 * A review that may read first reads the order route and the database client, found by name in the overview
 * the request carries, so the demo shows tool steps; undefined when there is nothing to read.
 */
function demoReads(req: RecordedRequest, messages: { role: string; content: string }[], first: string): ScriptedAnswer | undefined {
  const offered = Array.isArray(req.body?.tools) && req.body.tool_choice !== 'none';
  if (!offered || messages.some(m => m.role === 'tool')) { return undefined; }
  const paths = ['routes/orders.js', 'db/client.js'].map(name => new RegExp(`(?:^|[\\s(])((?:[\\w.-]+/)*${name.replace('.', '\\.')})\\b`, 'm').exec(first)?.[1]).filter((p): p is string => !!p);
  if (paths.length === 0) { return undefined; }
  return {
    content: 'Reading the order route and the database client first.',
    toolCalls: paths.map((path, i) => ({ id: `demo-read-${i + 1}`, name: 'read_file', arguments: { path } })),
    chunkDelayMs: 8,
  };
}

/** Picks the recorded answer that fits the request: review, first design request, or a chat follow-up. */
export function demoAnswer(req: RecordedRequest): ScriptedAnswer {
  const messages = (req.body?.messages ?? []) as { role: string; content: string }[];
  const last = messages.filter(m => m.role === 'user').at(-1)?.content ?? '';
  const reads = /Review the architecture/.test(last) ? demoReads(req, messages, last) : undefined;
  if (reads) { return reads; }
  const content = /Review the architecture/.test(last) ? demoReview
    : messages.some(m => m.role === 'assistant') || !/Workspace:/.test(last) ? demoChat
    : demoDesign;
  // Chunks about the size a model sends, with a small delay so the answer visibly streams.
  const chunks = content.match(/[\s\S]{1,12}/g) ?? [content];
  return { chunks, chunkDelayMs: 8 };
}
