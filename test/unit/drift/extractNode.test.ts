/** Route extraction on small in-memory sources: the JavaScript frameworks (Express, Koa, Fastify, NestJS). */
import * as assert from 'node:assert/strict';
import { extract, routesOf } from './driftFixtures';

describe('drift: Express, Koa, Fastify and NestJS routes', () => {
  it('follows routers across require/module.exports, functions handed the app, and route() chains', () => {
    assert.deepEqual(routesOf({
      'app.js': `const express = require('express');
const API = '/api';
const app = express();
app.use(API + '/v1', require('./routes/users'));
require('./routes/books')(app);
app.listen(3000);`,
      'routes/users.js': `const router = require('express').Router();
router.get(['/users', '/people'], list);
router.route('/users/:id').get(show).put(update);
module.exports = router;`,
      'routes/books.js': `module.exports = function (app) {
  app.delete('/books/:isbn', remove);
};`,
    }), ['DELETE /books/{isbn}', 'GET /api/v1/people', 'GET /api/v1/users', 'GET /api/v1/users/{id}', 'PUT /api/v1/users/{id}']);
  });

  it('ignores what only looks like a route: clients, maps, settings, comments and strings', () => {
    assert.deepEqual(routesOf({
      'server.ts': `import express from 'express';
import axios from 'axios';
const app = express();
const cache = new Map();
app.set('port', 3000);
const port = app.get('port');
cache.get('/not-a-route');
axios.get('/api/users').then(() => undefined);
// app.get('/commented-out', handler);
const doc = "app.post('/in-a-string', h)";
app.get('/real', handler);`,
    }), ['GET /real']);
  });

  it('notes computed and regular-expression paths instead of guessing them', () => {
    const r = extract({
      'server.js': `const app = require('express')();
app.get(/.*fly$/, h);
app.get(buildPath('x'), h);
app.get(\`/users/\${version}/list\`, h);`,
    });
    assert.deepEqual(r.routes.map(x => `${x.method} ${x.path} ${x.partial ?? false}`), ['GET /users/list true']);
    assert.deepEqual(r.notes.map(n => n.line), [2, 3, 4]);
    assert.match(r.notes[0].message, /regular expression/);
  });

  it('resolves the default of an environment lookup and a constant from another file', () => {
    assert.deepEqual(routesOf({
      'config.ts': `export const API_PREFIX = '/api/v2';`,
      'main.ts': `import express from 'express';
import { API_PREFIX } from './config';
import { usersRouter } from './users';
const app = express();
app.use(API_PREFIX, usersRouter);
app.use(process.env.ADMIN_BASE || '/admin', usersRouter);`,
      'users.ts': `import { Router } from 'express';
export const usersRouter = Router();
usersRouter.get('/users', list);`,
    }), ['GET /admin/users', 'GET /api/v2/users']);
  });

  it('Koa: router prefixes from the constructor and prefix()', () => {
    assert.deepEqual(routesOf({
      'app.ts': `import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const v2 = new Router({ prefix: '/v2' });
const admin = new Router();
admin.prefix('/admin');
v2.get('/items/:id', show).post('/items', create);
admin.get('stats', '/stats', stats);
app.use(v2.routes()).use(admin.routes());`,
    }), ['GET /admin/stats', 'GET /v2/items/{id}', 'POST /v2/items']);
  });

  it('Fastify: plugins registered with a prefix, inline or from another file', () => {
    assert.deepEqual(routesOf({
      'server.js': `const fastify = require('fastify')();
fastify.register(async (instance) => {
  instance.get('/health', async () => 'ok');
}, { prefix: '/v1' });
fastify.register(require('./users'), { prefix: '/v1/users' });
fastify.route({ method: ['GET', 'HEAD'], url: '/', handler: root });`,
      'users.js': `module.exports = async function (fastify, opts) {
  fastify.get('/:id', show);
  fastify.post('/', create);
};`,
    }), ['GET /', 'GET /v1/health', 'GET /v1/users/{id}', 'HEAD /', 'POST /v1/users']);
  });

  it('NestJS: object and list forms of the decorators, and every verb', () => {
    assert.deepEqual(routesOf({
      'cats.controller.ts': `import { Controller, Get, Post, Patch, All } from '@nestjs/common';
@Controller({ path: 'cats', version: '1' })
export class CatsController {
  @Get(['', 'all']) findAll() { return []; }
  @Patch(':id') update() { return {}; }
  @All('*') fallback() { return {}; }
  @Post() create() { return {}; }
}`,
    }), ['ALL /cats/{wildcard}', 'GET /cats', 'GET /cats/all', 'PATCH /cats/{id}', 'POST /cats']);
  });
});
