import * as assert from 'node:assert/strict';
import { classifyPath, dirSkipReason, fileSkipReason, type FileRole } from '../../../src/context/classify';

describe('context classification by path', () => {
  it('skips dependencies, build output, tool folders, lock files, generated names, binaries and data', () => {
    const cases: [string, RegExp, string?][] = [
      ['node_modules/express/index.js', /vendored/, 'node_modules/'],
      ['packages/api/node_modules/x/y.js', /vendored/, 'packages/api/node_modules/'],
      ['vendor/laravel/framework/src/x.php', /vendored/, 'vendor/'],
      ['third_party/lib.go', /vendored/, 'third_party/'],
      ['.venv/lib/python3.12/site.py', /vendored/, '.venv/'],
      ['dist/main.js', /build output/, 'dist/'],
      ['Api/bin/Release/net8.0/appsettings.json', /build output/, 'Api/bin/Release/'],
      ['services/a/target/classes/A.class', /build output/, 'services/a/target/'],
      ['.git/HEAD', /version control/, '.git/'],
      ['app/__pycache__/x.pyc', /tool cache/, 'app/__pycache__/'],
      ['.ssh/id_ed25519', /secret/, '.ssh/'],
      ['package-lock.json', /lock file/],
      ['yarn.lock', /lock file/],
      ['pnpm-lock.yaml', /lock file/],
      ['poetry.lock', /lock file/],
      ['Gemfile.lock', /lock file/],
      ['go.sum', /lock file/],
      ['composer.lock', /lock file/],
      ['Cargo.lock', /lock file/],
      ['public/app.min.js', /minified or generated/],
      ['src/api.generated.ts', /minified or generated/],
      ['proto/user.pb.go', /minified or generated/],
      ['assets/logo.png', /binary/],
      ['fonts/x.woff2', /binary/],
      ['db/dev.sqlite3', /binary/],
      ['seed/users.csv', /data file/],
      ['.env', /secret/],
    ];
    for (const [path, why, group] of cases) {
      const r = fileSkipReason(path);
      assert.ok(r, `${path} should be skipped`);
      assert.match(r.why, why, path);
      assert.equal(r.group, group, `${path} group`);
    }
    for (const path of ['bin/www', 'src/build.ts', 'src/vendors/service.ts', 'app/models/user.rb', 'build.gradle', 'distance.go', 'db/schema.sql']) {
      assert.equal(fileSkipReason(path), undefined, path);
    }
    assert.equal(dirSkipReason('src'), undefined);
    assert.match(dirSkipReason('a/b/node_modules') ?? '', /vendored/);
  });

  it('gives each file of a backend its role', () => {
    const cases: [string, FileRole, RegExp][] = [
      ['package.json', 'manifest', /npm/],
      ['pyproject.toml', 'manifest', /Python/],
      ['requirements/base.txt', 'manifest', /Python/],
      ['pom.xml', 'manifest', /Maven/],
      ['build.gradle.kts', 'manifest', /Gradle/],
      ['go.mod', 'manifest', /Go/],
      ['Gemfile', 'manifest', /Bundler/],
      ['composer.json', 'manifest', /Composer/],
      ['src/Api/Api.csproj', 'manifest', /\.NET/],
      ['docs/api/openapi.yaml', 'spec', /OpenAPI/],
      ['spec/swagger.json', 'spec', /OpenAPI/],
      ['proto/users.proto', 'spec', /protobuf/],
      ['schema.graphql', 'spec', /GraphQL/],
      ['prisma/schema.prisma', 'model', /Prisma/],
      ['db/schema.rb', 'model', /Rails schema/],
      ['app/models/user.rb', 'model', /data model/],
      ['orders/models.py', 'model', /data model/],
      ['src/users/user.entity.ts', 'model', /entity/],
      ['src/main/java/x/domain/Order.java', 'model', /domain/],
      ['Data/ShopDbContext.cs', 'model', /DbContext/],
      ['Migrations/ShopDbContextModelSnapshot.cs', 'model', /snapshot/],
      ['db/migrate/20240101_create_users.rb', 'migration', /Rails/],
      ['alembic/versions/0001_init.py', 'migration', /Alembic/],
      ['prisma/migrations/2024_init/migration.sql', 'migration', /Prisma/],
      ['src/main/resources/db/migration/V1__init.sql', 'migration', /Flyway/],
      ['src/main/resources/db/changelog/db.changelog-master.yaml', 'migration', /Liquibase/],
      ['database/migrations/2024_01_01_create_posts_table.php', 'migration', /Laravel/],
      ['Migrations/20240101_Initial.cs', 'migration', /EF Core/],
      ['migrations/0001_accounts.up.sql', 'migration', /migration/],
      ['config/routes.rb', 'route', /Rails/],
      ['routes/api.php', 'route', /Laravel/],
      ['shop/urls.py', 'route', /Django/],
      ['src/routes/users.ts', 'route', /routes/],
      ['src/users/users.controller.ts', 'route', /controller/],
      ['src/main/java/x/web/OrderController.java', 'route', /controller/],
      ['app/controllers/posts_controller.rb', 'route', /controller/],
      ['internal/http/handlers.go', 'route', /handlers/],
      ['src/index.ts', 'entry', /entry/],
      ['apps/api/src/main.ts', 'entry', /entry/],
      ['app/main.py', 'entry', /entry/],
      ['cmd/server/main.go', 'entry', /entry/],
      ['src/main/java/x/ShopApplication.java', 'entry', /entry/],
      ['Program.cs', 'entry', /entry/],
      ['bin/www', 'entry', /application setup/],
      ['docker-compose.yml', 'deployment', /compose/],
      ['compose.prod.yaml', 'deployment', /compose/],
      ['Dockerfile', 'deployment', /Dockerfile/],
      ['k8s/deployment.yaml', 'deployment', /Kubernetes/],
      ['charts/api/Chart.yaml', 'deployment', /Helm/],
      ['.github/workflows/ci.yml', 'deployment', /CI/],
      ['infra/main.tf', 'deployment', /Terraform/],
      ['src/main/resources/application.yml', 'config', /Spring/],
      ['.env.example', 'config', /environment template/],
      ['README.md', 'docs', /README/],
      ['docs/adr/0001-use-postgres.md', 'docs', /ADR/],
      ['ARCHITECTURE.md', 'docs', /architecture/],
      ['src/services/billing.ts', 'source', /service/],
      ['src/users/users.repository.ts', 'source', /repository/],
      ['tests/test_users.py', 'test', /test/],
      ['src/users/users.service.spec.ts', 'test', /test/],
      ['internal/store/store_test.go', 'test', /test/],
      ['src/test/java/x/OrderControllerTest.java', 'test', /test/],
      ['spec/models/user_spec.rb', 'test', /test/],
      ['app/routers/__init__.py', 'source', /package marker/],
    ];
    for (const [path, role, reason] of cases) {
      const c = classifyPath(path);
      assert.equal(c.role, role, `${path}: ${JSON.stringify(c)}`);
      assert.match(c.reason, reason, path);
    }
  });

  it('ranks what tells most first, and the root before deeper copies', () => {
    const score = (p: string): number => classifyPath(p).score;
    assert.ok(score('package.json') > score('packages/api/package.json'));
    assert.ok(score('packages/api/package.json') > score('src/utils/strings.ts'));
    assert.ok(score('prisma/schema.prisma') > score('src/routes/users.ts'));
    assert.ok(score('src/routes/users.ts') > score('src/services/users.ts'));
    assert.ok(score('src/services/users.ts') > score('src/utils/strings.ts'));
    assert.ok(score('src/utils/strings.ts') > score('tests/users.test.ts'));
    assert.ok(score('README.md') > score('CHANGELOG.md'));
  });
});
