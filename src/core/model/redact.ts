/**
 * Secrets (tokens, keys, passwords, private keys) are replaced by `[REDACTED:kind]` before
 * anything is previewed or written, by every writer. The patterns favour well-known token
 * shapes and `key = value` assignments, so ordinary prose is left alone. A hand list, not a
 * maintained set: npm has no data-only one, and secretlint's recommended preset is rule code that
 * needs its engine and takes ~36 ms to load, more than half of a hook's whole budget.
 */
interface Rule {
  kind: string;
  pattern: RegExp;
  /** Which capture group is the secret; the whole match when absent. */
  group?: number;
}

const RULES: Rule[] = [
  // PEM keys of every kind, PGP private key blocks too; a key cut off before its END line takes all that follows.
  { kind: 'private-key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'gitlab-token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'slack-token', pattern: /\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})\b/g },
  { kind: 'slack-webhook', pattern: /\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g },
  { kind: 'stripe-key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { kind: 'api-key', pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { kind: 'bearer-token', pattern: /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g, group: 2 },
  // The user name may be empty (redis://:secret@host).
  { kind: 'url-password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/gi, group: 1 },
];

/**
 * Whether a key names a secret: `password`, `PGPASSWORD`, `passphrase`, `client_secret`,
 * `api-key`, or a word `pass`, `pwd`, `token` or `secret` of it (`DB_PASS`, `GITHUB_TOKEN`,
 * `tokenCount`), but not `max_tokens` or `passage`.
 */
function isSecretKey(key: string): boolean {
  if (/password|passwd|passphrase|secret|api[_-]?key|access[_-]?key|private[_-]?key/i.test(key)) return true;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .some((word) => ['pass', 'pwd', 'token'].includes(word));
}

/** A capitalised word (`Password:`) labels prose, not a config value. */
function isProseLabel(key: string): boolean {
  return /^[A-Z][a-z]+$/.test(key);
}

/** Not a secret but a stand-in for one: a number, a variable, a placeholder. */
function isPlaceholder(value: string): boolean {
  return /^\d+$/.test(value) || /^(?:\$|<|\{\{|%|\*{3})/.test(value) || value.includes('[REDACTED:');
}

// `key: "a quoted value"`: the whole of it, spaces and all.
const QUOTED = /\b([A-Za-z][A-Za-z0-9_.-]*)(["']?[ \t]*[:=][ \t]*)(["'])([^"'\n]{6,})\3/g;
// `key: an unquoted value with spaces` as a line of its own (a config line, an env file, a bullet): the rest of the line.
// (`KEY=value command`, an `=` with no space after it, is one word: the command is not the secret.)
const LINE = /^([ \t]*(?:[-*>][ \t]+)?(?:export[ \t]+)?)([A-Za-z][A-Za-z0-9_.-]*)([ \t]*:[ \t]*|[ \t]*=[ \t]+)([^"'\s][^\n]*?\s[^\n]*?)([ \t]*)$/gm;
// `key=value` with no spaces in the value, anywhere.
const TOKEN = /\b([A-Za-z][A-Za-z0-9_.-]*)(["']?[ \t]*[:=][ \t]*["']?)([^\s"',;]{6,})/g;

/**
 * Assignments of a secret: quoted values whole; a line of its own (`password: correct horse
 * battery staple`) to its end, unless its key is a capitalised word of prose (`Password:
 * changed on Monday`); one word anywhere, if it is a line's own key or has a digit or sign in
 * it (`The secret: nothing fancy` stays). Numbers and placeholders are never secrets.
 */
function redactAssignments(text: string, count: () => void): string {
  const marker = '[REDACTED:password]';
  let result = text.replace(QUOTED, (match, key: string, sep: string, quote: string, value: string) => {
    if (!isSecretKey(key) || isPlaceholder(value)) return match;
    count();
    return `${key}${sep}${quote}${marker}${quote}`;
  });
  result = result.replace(LINE, (match, lead: string, key: string, sep: string, value: string, trail: string) => {
    if (!isSecretKey(key) || isProseLabel(key) || isPlaceholder(value)) return match;
    count();
    return `${lead}${key}${sep}${marker}${trail}`;
  });
  return result.replace(TOKEN, (match, key: string, sep: string, value: string, offset: number, whole: string) => {
    if (!isSecretKey(key) || isPlaceholder(value)) return match;
    const before = whole.slice(whole.lastIndexOf('\n', offset - 1) + 1, offset);
    const ownLine = !isProseLabel(key) && (/^[ \t]*(?:[-*>][ \t]+)?(?:export[ \t]+)?$/.test(before) || /[{,;&?(][ \t]*["']?$/.test(before));
    if (!ownLine && !/[^A-Za-z]/.test(value)) return match;
    count();
    return `${key}${sep}${marker}`;
  });
}

export interface Redacted {
  text: string;
  count: number;
}

export function redactSecrets(text: string): Redacted {
  let count = 0;
  let result = text;
  for (const rule of RULES) {
    result = result.replace(rule.pattern, (match: string, ...groups: unknown[]) => {
      if (match.includes('[REDACTED:')) return match;
      count++;
      if (rule.group === undefined) return `[REDACTED:${rule.kind}]`;
      const secret = groups[rule.group - 1] as string;
      const at = match.lastIndexOf(secret);
      return `${match.slice(0, at)}[REDACTED:${rule.kind}]${match.slice(at + secret.length)}`;
    });
  }
  result = redactAssignments(result, () => count++);
  return { text: result, count };
}

/** Redacts every string in a value, leaving the keys named in `keep` (ids, enums) as they are. */
export function redactDeep<T>(value: T, keep: ReadonlySet<string>, counter = { count: 0 }): { value: T; count: number } {
  const walk = (node: unknown, key?: string): unknown => {
    if (typeof node === 'string') {
      if (key !== undefined && keep.has(key)) return node;
      const redacted = redactSecrets(node);
      counter.count += redacted.count;
      return redacted.text;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, key));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, walk(v, k)]));
    }
    return node;
  };
  return { value: walk(value) as T, count: counter.count };
}
