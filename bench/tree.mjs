// The generated monorepo the context and tools benchmarks share: deterministic, 500 files per service.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A tiny deterministic PRNG, so every run generates the same tree. */
function prng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

/**
 * A monorepo of services, each 500 files: manifest, README, Dockerfile, Prisma schema and migrations,
 * entry point, routes, services, models, middleware, a large lib/ of ordinary code, tests, and a
 * gitignored dist/. Sizes vary from a few hundred bytes to a few KB.
 */
export function generateTree(root, total) {
  const rand = prng(42);
  let count = 0;
  const write = (rel, text) => {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    count++;
  };
  const body = (name, lines) => Array.from({ length: lines }, (_, i) =>
    `export function ${name}Step${i}(input: Record<string, unknown>): number {\n  return Object.keys(input).length * ${i} + ${Math.floor(rand() * 1000)};\n}\n`).join('\n');
  write('package.json', JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['services/*'] }, null, 2));
  write('README.md', '# bench monorepo\n\nGenerated for the context benchmark.\n');
  write('.gitignore', 'dist/\n*.log\n');
  write('docker-compose.yml', 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: bench\n');
  const perService = 500;
  for (let s = 0; count + perService <= total; s++) {
    const svc = `services/svc-${String(s).padStart(3, '0')}`;
    write(`${svc}/package.json`, JSON.stringify({ name: `svc-${s}`, dependencies: { express: '^4', '@prisma/client': '^5', pg: '^8' } }, null, 2));
    write(`${svc}/README.md`, `# svc-${s}\n`);
    write(`${svc}/Dockerfile`, 'FROM node:20\nCOPY . .\nCMD ["node", "dist/index.js"]\n');
    write(`${svc}/prisma/schema.prisma`, `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n${Array.from({ length: 8 }, (_, i) => `model M${i} {\n  id Int @id\n  name String\n}\n`).join('\n')}`);
    for (let m = 0; m < 5; m++) { write(`${svc}/prisma/migrations/2024010${m}000000_m${m}/migration.sql`, `CREATE TABLE "M${m}" (id int primary key, name text);\n`); }
    write(`${svc}/src/index.ts`, body('main', 3));
    const groups = [['src/routes', 40, 'route'], ['src/services', 40, 'service'], ['src/models', 20, 'model'], ['src/middleware', 20, 'mw'],
      ['src/lib', 300, 'lib'], ['test', 60, 'test'], ['dist', 10, 'dist']];
    for (const [dir, n, name] of groups) {
      for (let i = 0; i < n; i++) {
        const ext = dir === 'test' ? '.test.ts' : dir === 'dist' ? '.js' : '.ts';
        write(`${svc}/${dir}/${name}${i}${ext}`, body(`${name}${i}`, 1 + Math.floor(rand() * 20)));
      }
    }
  }
  for (let i = 0; count < total; i++) { write(`misc/note${i}.md`, `note ${i}\n`); }
  return count;
}
