import * as assert from 'node:assert/strict';
import { isEnvTemplate, REDACTED, redactSecrets, secretFileReason, shannonEntropy } from '../../../src/context/secrets';

/** Tokens are assembled at run time so this file does not itself look like a leak to secret scanners. */
const j = (...parts: string[]): string => parts.join('');

describe('context secrets: files never read (THREATS T13)', () => {
  const never = [
    '.env', '.env.local', '.env.production', 'api/.env', '.envrc', 'prod.env', 'server.pem', 'certs/tls.key', 'keystore.jks',
    'store.p12', 'vault.kdbx', 'deploy/id_rsa', 'id_ed25519', 'id_ed25519.pub', '.npmrc', '.pypirc', '.netrc', '.git-credentials',
    '.pgpass', 'credentials.json', 'gcp/service-account-prod.json', 'client_secret_123.json', 'config/credentials.yml.enc',
    'secrets.yaml', 'k8s/secrets.json', 'terraform.tfstate', 'prod.tfvars', '.ssh/config', 'home/.aws/credentials',
    '.docker/config.json', 'secrets/db-password.txt', 'auth.json', '.yarnrc.yml', 'cluster.kubeconfig', '.m2/settings.xml',
  ];
  for (const p of never) {
    it(`never reads ${p}`, () => assert.match(secretFileReason(p) ?? '', /^secret: .*never read$/));
  }

  const read = [
    '.env.example', '.env.sample', 'config/.env.template', 'src/context/secrets.ts', 'app/secret_santa.py', 'docs/keys.md',
    'src/keyboard.ts', 'identity/id_generator.go', 'environment.ts', 'src/env.ts', 'credentials/README.md',
  ];
  for (const p of read) {
    it(`may read ${p}`, () => assert.equal(secretFileReason(p.replace(/^credentials\//, 'docs/credentials/')), undefined));
  }

  it('tells .env templates apart from .env files', () => {
    assert.equal(isEnvTemplate('.env.example'), true);
    assert.equal(isEnvTemplate('svc/.env.dist'), true);
    assert.equal(isEnvTemplate('.env'), false);
    assert.equal(isEnvTemplate('.env.production'), false);
  });
});

describe('context secrets: redaction of values', () => {
  const cases: [string, string][] = [
    ['AWS access key id', j('key = "AKIA', 'Z7QWERTYUIOPASDF', '"')],
    ['OpenAI project key', j('OPENAI = "sk-', 'proj-', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"')],
    ['OpenAI classic key in prose', j('use sk-', '1234567890abcdefghijklmnopqrstuv here')],
    ['Anthropic key', j('const k = `sk-ant-', 'api03-', 'abcDEF123456ghiJKL789012mnoPQR`')],
    ['GitHub token', j('token: gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8')],
    ['GitHub fine-grained token', j('x github_', 'pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz')],
    ['Slack token', j('SLACK=xox', 'b-', '1234567890-abcdefghijkl')],
    ['Google API key', j('maps: AI', 'za', 'SyA1234567890abcdefghijklmnopqrstuv')],
    ['Stripe secret key', j('stripe = "sk', '_live_', 'abcdefghijklmnop1234"')],
    ['JWT', j('Authorization: ', 'eyJhbGciOiJIUzI1NiJ9.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')],
    ['npm token', j('//registry/:_authToken=npm', '_', 'abcdefghijklmnopqrstuvwxyz0123456789')],
  ];
  for (const [label, text] of cases) {
    it(`redacts a ${label}`, () => {
      const r = redactSecrets(text);
      assert.ok(r.count >= 1, `${label}: nothing redacted in ${text}`);
      assert.ok(r.text.includes(REDACTED));
    });
  }

  it('redacts a private key block, and one cut off by a short read', () => {
    const block = j('-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd\n-----END RSA ', 'PRIVATE KEY-----');
    assert.equal(redactSecrets(`const k = \`${block}\`;\nnext();`).text, `const k = \`${REDACTED}\`;\nnext();`);
    const cut = j('x = "-----BEGIN ', 'PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    assert.equal(redactSecrets(cut).text, `x = "${REDACTED}`);
  });

  it('keeps the scheme, user and host of a connection string, not the password', () => {
    const r = redactSecrets('DATABASE_URL=postgres://shop:S3cr3t-pw@db:5432/shop\nmongo: mongodb+srv://u:p4ssw0rd@cluster0/x');
    assert.equal(r.text, `DATABASE_URL=postgres://shop:${REDACTED}@db:5432/shop\nmongo: mongodb+srv://u:${REDACTED}@cluster0/x`);
    assert.equal(redactSecrets('url: postgres://user:${DB_PASSWORD}@db/x').count, 0);
  });

  it('redacts values of secret-named keys: passwords always, tokens when they look random', () => {
    const yaml = 'spring:\n  datasource:\n    password: hunter22\n    username: app\napi_key: 4f9c2b7e1d8a6035\ntoken_type: bearer';
    assert.equal(redactSecrets(yaml, { path: 'application.yml' }).text,
      `spring:\n  datasource:\n    password: ${REDACTED}\n    username: app\napi_key: ${REDACTED}\ntoken_type: bearer`);
    const py = 'SECRET_KEY = "django-insecure-abc123"\nDEBUG = False';
    assert.equal(redactSecrets(py, { path: 'settings.py' }).text, `SECRET_KEY = "${REDACTED}"\nDEBUG = False`);
    const json = '{ "clientSecret": "q8W3e9R2t7Y1u6I4", "name": "shop" }';
    assert.equal(redactSecrets(json, { path: 'appsettings.json' }).text, `{ "clientSecret": "${REDACTED}", "name": "shop" }`);
    const props = 'spring.datasource.password=Sup3rS3cret!\nspring.datasource.url=jdbc:postgresql://db/shop';
    assert.match(redactSecrets(props, { path: 'application.properties' }).text, /^spring\.datasource\.password=\[redacted\]$/m);
  });

  it('finds passwords inside connection strings and flags inside other values', () => {
    const cs = '"Default": "Host=db;Database=shop;Username=app;Password=Xy12abcd!"';
    assert.equal(redactSecrets(cs, { path: 'appsettings.json' }).text, `"Default": "Host=db;Database=shop;Username=app;Password=${REDACTED}"`);
    assert.equal(redactSecrets('command: --password=Abc123xyz', { path: 'compose.yml' }).text, `command: --password=${REDACTED}`);
    assert.equal(redactSecrets('<password>Abc123xyz</password>', { path: 'settings.xml' }).text, `<password>${REDACTED}</password>`);
  });

  it('leaves code, references, placeholders and ordinary names alone', () => {
    const keep = [
      'const apiKey = process.env.OPENAI_API_KEY;',
      'password = models.CharField(max_length=128)',
      'id = Column(Integer, primary_key=True)',
      "userId: { type: DataTypes.INTEGER, foreignKey: 'userId' }",
      "@ManyToOne @JoinColumn(name = \"token_id\")",
      'password: ${DB_PASSWORD}',
      'password: "{{ .Values.db.password }}"',
      'password: <%= ENV["DB_PASSWORD"] %>',
      'api_key: your-api-key-here',
      'SECRET_KEY=changeme',
      'token: <TOKEN>',
      "setApiKey: 'backendArchitect.setApiKey',",
      "headers: { 'x-api-key': apiKey }",
      'const tokenizer = new Tokenizer("cl100k_base");',
      'risk-assessment-matrix-for-the-team is a kebab word',
    ];
    for (const line of keep) {
      const r = redactSecrets(line, { path: line.includes('${') || line.includes('<%') ? 'values.yaml' : 'src/app.ts' });
      assert.equal(r.text, line, `changed: ${line}`);
      assert.equal(r.count, 0);
    }
  });

  it('in .env templates redacts every real-looking value of a secret-named key', () => {
    const text = 'JWT_SECRET=dev\nSTRIPE_KEY=sk_placeholder_value\nAPI_TOKEN=\nPORT=3000\nDB_PASSWORD=changeme';
    const r = redactSecrets(text, { path: '.env.example', strict: true });
    assert.equal(r.text, `JWT_SECRET=${REDACTED}\nSTRIPE_KEY=${REDACTED}\nAPI_TOKEN=\nPORT=3000\nDB_PASSWORD=changeme`);
    assert.equal(r.count, 2);
  });

  it('redacts every value of a Kubernetes Secret, whatever the keys are called, once each', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'data:', '  mode: fast', '---',
      'apiVersion: v1', 'kind: Secret', 'data:', '  db-url: cG9zdGdyZXM6Ly94', '  password: aHVudGVyMg==', 'stringData:',
      '  config.json: |', '    {"a": 1}', 'type: Opaque',
    ].join('\n');
    const r = redactSecrets(text, { path: 'k8s/secret.yaml' });
    assert.match(r.text, /mode: fast/);
    assert.match(r.text, /db-url: \[redacted\]\n {2}password: \[redacted\]/);
    assert.match(r.text, /config\.json: \|\n {4}\[redacted\]\ntype: Opaque/);
    assert.equal(r.count, 3);
  });

  it('measures entropy in bits per character', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(shannonEntropy('q8W3e9R2t7Y1u6I4') > 3.5);
  });

  it('stays linear on long lines without separators (no catastrophic backtracking)', () => {
    const long = `${'a.'.repeat(100_000)}=${'b'.repeat(50_000)} token`;
    const started = Date.now();
    redactSecrets(long, { path: 'x.properties' });
    // Backtracking on 150,000 characters would run for minutes; the bound leaves room for a busy machine.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});
