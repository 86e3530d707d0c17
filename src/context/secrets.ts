/**
 * Secrets and the workspace context (THREATS T13). Two layers: files whose names say they hold
 * secrets are never read at all, and whatever is read has secret-looking values replaced before it
 * can reach a prompt. Pure: no I/O.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

// Committed templates of environment files: read (they document configuration), but every value of a
// secret-named key in them is redacted, whatever it looks like (see redactSecrets' `strict`).
const ENV_TEMPLATE = /^\.env\.(example|sample|template|dist|defaults|schema)$|^(example|sample|template)\.env$/i;

/** Folders that only ever hold credentials. */
const SECRET_DIRS = /(^|\/)(\.ssh|\.aws|\.gnupg|\.docker|\.kube|\.azure|\.gcloud|\.config\/gcloud|\.secrets?|secrets)\//i;

const SECRET_NAMES: ReadonlyArray<{ re: RegExp; why: string }> = [
  { re: /^\.env($|\.)|\.env$|^\.envrc$/i, why: 'environment file' },
  { re: /\.(pem|key|p8|p12|pfx|jks|keystore|truststore|ppk|asc|gpg|pgp|kdbx?|ovpn|enc)$/i, why: 'key, certificate or encrypted file' },
  { re: /^id_[a-z0-9_]+(\.pub)?$/i, why: 'SSH key' },
  {
    re: /^(\.npmrc|\.yarnrc\.yml|\.pypirc|\.netrc|_netrc|\.git-credentials|\.gitcookies|\.pgpass|\.my\.cnf|\.s3cfg|\.boto|\.dockercfg|\.htpasswd|htpasswd|\.vault-token|\.terraformrc|terraform\.rc|kubeconfig|auth\.json)$/i,
    why: 'credentials file',
  },
  { re: /^(credentials|client_secrets?|service[-_]?account)([-_.][^/]*)?\.(json|ya?ml|xml|toml|ini)$|^credentials$/i, why: 'credentials file' },
  // Named for what they hold, in a data format (secrets.ts is code about secrets, and is read).
  { re: /^secrets?\.(ya?ml|json|toml|ini|env|txt|properties|conf|cfg|xml)$|\.secrets?$/i, why: 'secrets file' },
  { re: /\.(tfstate|tfstate\.backup|tfvars)$|\.kubeconfig$/i, why: 'infrastructure state or variables (hold secrets)' },
];

/** True for `.env.example` and its siblings: read, with strict redaction. */
export function isEnvTemplate(path: string): boolean {
  return ENV_TEMPLATE.test(baseName(path));
}

/**
 * Why the file at `path` (relative, '/' separators) must never be read, or undefined when it may be.
 * Decided on the path alone, before any read: a secret that is never read cannot leak.
 */
export function secretFileReason(path: string): string | undefined {
  if (SECRET_DIRS.test(path)) { return 'secret: credentials folder, never read'; }
  const name = baseName(path);
  if (ENV_TEMPLATE.test(name)) { return undefined; }
  if (/^\.m2\/settings\.xml$|(^|\/)\.m2\/settings\.xml$/i.test(path)) { return 'secret: credentials file, never read'; }
  for (const s of SECRET_NAMES) {
    if (s.re.test(name)) { return `secret: ${s.why}, never read`; }
  }
  return undefined;
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Token shapes that are secrets wherever they appear, whatever they are assigned to. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  // A private key block, up to its END line or, when the read was cut short, to the end of the text.
  /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-) keys; a digit is required so that
  // kebab-case words starting with "sk-" stay.
  /\bsk-(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{20,}/g,
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\bwhsec_[A-Za-z0-9+/=]{20,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposre]-[A-Za-z0-9-]{10,}/g,
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  /\bGOCSPX-[A-Za-z0-9_-]{20,}/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bhf_[A-Za-z0-9]{30,}/g,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

// scheme://user:password@host, the password being anything up to the "@".
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{1,30}:\/\/)([^\s:@/'"`<>]+):([^\s@/'"`<>]+)@/gi;
const AUTH_HEADER = /\b(Bearer|Basic|Token)(\s+)([A-Za-z0-9._~+/-]{20,}=*)/g;

// Names whose values are secrets. Bounded repeats keep the scan linear on long lines.
const PASSWORD_NAME = /(secret|passw(?:or)?d|passwd|pwd|passphrase)/i;
const SECRET_NAME = /(secret|passw(?:or)?d|passwd|pwd|passphrase|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|auth[_-]?key|credentials?|[a-z0-9]_key\b)/i;
const ASSIGNMENT = /(["']?)([A-Za-z_][\w.-]{0,60})\1[ \t]*(:=|=>|=|:)[ \t]*("(?:[^"\\\n]|\\.){0,2000}"|'(?:[^'\\\n]|\\.){0,2000}'|`[^`\n]{0,2000}`|[^\s,;#}\])]{1,2000})/g;
const ASSIGNMENT_HINT = /secret|passw|pwd|passphrase|token|key|credential/i;
const XML_SECRET = /(<([\w.:-]{0,40}(?:secret|password|passwd|token|apikey|api-key|api_key)[\w.:-]{0,40})(?:\s[^>]*)?>)([^<\n]{1,2000})(<\/\2>)/gi;

const PLACEHOLDER = /^(x+|\*+|\.{2,}|-+|changeme|change[_-]?me|change[_-]?this|placeholder|example|dummy|sample|secret|password|passwd|redacted|todo|tbd|none|null|nil|undefined|true|false|your[_-].*|my[_-].*|<[^>]*>|\[redacted\]|\[[^\]]*\]|\{\{.*\}\}|\$\{.*\}|\$[A-Za-z_][A-Za-z0-9_]*|%\(?[A-Za-z_]+\)?s?%?|%[A-Z_]+%|env\(.*\)|ENV\[.*\]|[\d.]+)$/i;
// In code, an unquoted value is an expression (process.env.X, os.getenv("X"), settings.KEY), not a secret.
const CONFIG_FILE = /(^|\/)(\.env[^/]*|[^/]*\.(env|ya?ml|properties|ini|cfg|conf|toml|tfvars|config|xml))$|(^|\/)[^/]*\.(sh|bash|zsh|ps1|bat|cmd)$|(^|\/)(Dockerfile[^/]*|Procfile)$/i;

/** Options for redactSecrets. */
export interface RedactOptions {
  /** Path of the file, to tell configuration (unquoted values are literals) from code. */
  path?: string;
  /** Redact every non-placeholder value of a secret-named key, not only random-looking ones (.env templates). */
  strict?: boolean;
}

/**
 * Replaces secret-looking values with `[redacted]`: known token shapes anywhere, passwords in URLs and
 * auth headers, values of secret-named keys (passwords always, tokens and keys when they look random),
 * and the values of Kubernetes Secret manifests. Returns the text and how many values were replaced.
 */
export function redactSecrets(text: string, options: RedactOptions = {}): { text: string; count: number } {
  let count = 0;
  let out = text;
  for (const re of TOKEN_PATTERNS) {
    re.lastIndex = 0;
    if (!re.test(out)) { continue; }
    out = out.replace(re, () => { count++; return REDACTED; });
  }
  out = out.replace(URL_PASSWORD, (m, scheme: string, user: string, pass: string) => {
    if (pass === REDACTED || PLACEHOLDER.test(pass)) { return m; }
    count++;
    return `${scheme}${user}:${REDACTED}@`;
  });
  out = out.replace(AUTH_HEADER, (m, word: string, space: string, value: string) => {
    if (!looksRandom(value)) { return m; }
    count++;
    return `${word}${space}${REDACTED}`;
  });
  const assigned = redactAssignments(out, options);
  count += assigned.count;
  out = assigned.text;
  if (/^kind:[ \t]*Secret\b/m.test(out)) {
    const k8s = redactKubernetesSecrets(out);
    count += k8s.count;
    out = k8s.text;
  }
  return { text: out, count };
}

function redactAssignments(text: string, options: RedactOptions): { text: string; count: number } {
  const config = options.path !== undefined && CONFIG_FILE.test(options.path);
  const counter = { count: 0 };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (ASSIGNMENT_HINT.test(lines[i])) { lines[i] = redactLine(lines[i], config, options.strict === true, counter, 0); }
  }
  return { text: lines.join('\n'), count: counter.count };
}

/**
 * Redacts `name = value` pairs in one line. When the name is not secret the value is searched again,
 * so `command: --password=x` and connection strings inside quotes (`"Host=db;Password=x"`) are seen;
 * inside a quoted value, unquoted parts are literal text even in code.
 */
function redactLine(line: string, config: boolean, strict: boolean, counter: { count: number }, depth: number): string {
  const re = new RegExp(ASSIGNMENT.source, 'g');
  const out = line.replace(re, (m, _q: string, name: string, _op: string, value: string) => {
    const head = m.slice(0, m.length - value.length);
    const quoted = value.length >= 2 && /^["'`]/.test(value) && value.endsWith(value[0]);
    const inner = quoted ? value.slice(1, -1) : value;
    if (!SECRET_NAME.test(name)) {
      if (depth >= 2 || !ASSIGNMENT_HINT.test(inner)) { return m; }
      const again = redactLine(inner, config || quoted, strict, counter, depth + 1);
      return quoted ? `${head}${value[0]}${again}${value[0]}` : head + again;
    }
    if ((!quoted && !config) || !isSecretValue(name, inner, strict)) { return m; }
    counter.count++;
    return head + (quoted ? `${value[0]}${REDACTED}${value[0]}` : REDACTED);
  });
  return out.replace(XML_SECRET, (m, open: string, tag: string, value: string, close: string) => {
    if (!isSecretValue(tag, value, strict)) { return m; }
    counter.count++;
    return `${open}${REDACTED}${close}`;
  });
}

function isSecretValue(name: string, value: string, strict: boolean): boolean {
  const v = value.trim();
  if (v === '' || v.includes(REDACTED) || PLACEHOLDER.test(v)) { return false; }
  // Template strings and interpolations reference secrets rather than hold them.
  if (/\$\{|\{\{|#\{|%\(|<%/.test(v)) { return false; }
  if (strict) { return true; }
  if (PASSWORD_NAME.test(name)) { return v.length >= 4; }
  return looksRandom(v);
}

/** Long enough and mixed enough to be a generated token rather than a word or an identifier. */
function looksRandom(v: string): boolean {
  if (v.length < 8) { return false; }
  const h = shannonEntropy(v);
  // A run of letters is a word or an identifier unless it is long and very varied; dotted names
  // ("backendArchitect.setApiKey", "x-api-key") are names, not tokens.
  if (/^[A-Za-z]+$/.test(v)) { return v.length >= 24 && h >= 4; }
  if (/^[A-Za-z]+([._\- /:][A-Za-z]+)+$/.test(v)) { return false; }
  const mixed = /\d/.test(v) && /[A-Za-z]/.test(v);
  return (mixed && h >= 2.8) || (v.length >= 16 && h >= 3.5);
}

/** Shannon entropy of `s` in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) { counts.set(ch, (counts.get(ch) ?? 0) + 1); }
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * In a YAML document of `kind: Secret`, every value under `data:` or `stringData:` is a secret,
 * whatever its key is called (base64 is not encryption).
 */
function redactKubernetesSecrets(text: string): { text: string; count: number } {
  const counter = { count: 0 };
  const docs = text.split(/^(?=---[ \t]*$)/m);
  const out = docs.map(doc => (/^kind:[ \t]*Secret\b/m.test(doc) ? redactSecretData(doc, counter) : doc));
  return { text: out.join(''), count: counter.count };
}

/** Redacts the values under data:/stringData: in one Secret document; block scalars (`key: |`) whole. */
function redactSecretData(doc: string, counter: { count: number }): string {
  const lines = doc.split('\n');
  let dataIndent = -1;
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (line.trim() === '') { continue; }
    if (blockIndent >= 0 && indent > blockIndent) {
      // Every line of a block scalar belongs to the value; one redaction per value.
      lines[i] = `${' '.repeat(indent)}${REDACTED}`;
      continue;
    }
    blockIndent = -1;
    if (/^(data|stringData):[ \t]*$/.test(line.trim())) { dataIndent = indent; continue; }
    if (dataIndent < 0) { continue; }
    if (indent <= dataIndent) { dataIndent = -1; continue; }
    const m = /^(\s*[^:#]+:[ \t]*)(\S.*)$/.exec(line);
    if (!m || m[2].trim() === REDACTED) { continue; }
    if (/^[|>]/.test(m[2])) { blockIndent = indent; counter.count++; continue; }
    lines[i] = `${m[1]}${REDACTED}`;
    counter.count++;
  }
  return lines.join('\n');
}
