/**
 * Secrets (tokens, keys, passwords, private keys) are replaced by `[REDACTED:kind]` before
 * anything is previewed or written, by every writer. The patterns favour well-known token
 * shapes and `key = value` assignments, so ordinary prose is left alone.
 */
interface Rule {
  kind: string;
  pattern: RegExp;
  /** Which capture group is the secret; the whole match when absent. */
  group?: number;
}

const RULES: Rule[] = [
  { kind: 'private-key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'gitlab-token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'api-key', pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { kind: 'bearer-token', pattern: /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g, group: 2 },
  // The user name may be empty (redis://:secret@host).
  { kind: 'url-password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/gi, group: 1 },
  // A quoted value is a whole passphrase, spaces and all.
  {
    kind: 'password',
    pattern: /\b((?:[A-Za-z0-9_]*[_-])?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|private[_-]?key)[A-Za-z0-9_]*)(["']?\s*[:=]\s*)(["'])([^"'\n]{6,})\3/gi,
    group: 4,
  },
  {
    kind: 'password',
    pattern: /\b((?:[A-Za-z0-9_]*[_-])?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|private[_-]?key)[A-Za-z0-9_]*)(["']?\s*[:=]\s*["']?)([^\s"',;]{6,})/gi,
    group: 3,
  },
];

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
