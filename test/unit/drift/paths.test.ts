import * as assert from 'node:assert/strict';
import { joinPaths, pathKey, toOpenApiPath } from '../../../src/drift/paths';

describe('drift: path syntaxes', () => {
  it('reads every framework\'s parameter syntax as the same OpenAPI path', () => {
    const forms: [string, boolean?][] = [
      ['/users/:id'], ['/users/{id}'], ['/users/<int:id>'], ['/users/<id>'], ['/users/{id:int}'], ['/users/{id?}'],
      ['/users/{id:[0-9]+}'], ['/users/:id(\\d+)'], ['/users/{id=5}'], ['users/:id(.:format)'], ['/users/{userId}/'],
      ['^users/(?P<pk>[0-9]+)/?$', true], ['^users/(\\d+)$', true],
    ];
    for (const [raw, regex] of forms) {
      assert.equal(pathKey(toOpenApiPath(raw, { regex })!), '/users/{}', raw);
    }
  });

  it('keeps parameter names, converts wildcards and drops Go\'s {$} and trailing slashes', () => {
    assert.equal(toOpenApiPath('/files/*'), '/files/{wildcard}');
    assert.equal(toOpenApiPath('/files/*path'), '/files/{path}');
    assert.equal(toOpenApiPath('/files/{path...}'), '/files/{path}');
    assert.equal(toOpenApiPath('/files/{*slug}'), '/files/{slug}');
    assert.equal(toOpenApiPath('/files/{**rest}'), '/files/{rest}');
    assert.equal(toOpenApiPath('/{$}'), '/');
    assert.equal(toOpenApiPath('/flights/:from-:to'), '/flights/{from}-{to}');
    assert.equal(toOpenApiPath('/articles/{slug}/comments/'), '/articles/{slug}/comments');
    assert.equal(toOpenApiPath('/v1/things:batchGet'), '/v1/things:batchGet');
  });

  it('refuses regular expressions that match more than one literal path', () => {
    assert.equal(toOpenApiPath('^articles/.*$', { regex: true }), undefined);
    assert.equal(toOpenApiPath('^(?:users|people)/$', { regex: true }), '/{param}');
    assert.equal(toOpenApiPath('^a|b$', { regex: true }), undefined);
  });

  it('joins prefixes whatever slashes each part has', () => {
    assert.equal(joinPaths('/api/', '/users'), '/api/users');
    assert.equal(joinPaths('api', 'users/'), '/api/users');
    assert.equal(joinPaths('', '/'), '/');
    assert.equal(joinPaths('/api', ''), '/api');
  });
});
