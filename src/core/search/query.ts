import { SessionLogError } from '../errors';
import { cleanTags } from '../model/validate';

export const SEARCH_KINDS = ['session', 'turn', 'decision'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** What a search keeps, besides relevance. Every field is optional; all given must hold. */
export interface SearchFilters {
  /** Tags on the session or turn itself (every one must be there). */
  tags?: string[];
  /** Tags on the file's frontmatter: the entry's, the agent session's or the record's. */
  entryTags?: string[];
  /** ISO time or date, or a span back from now: `7d`, `12h`, `2w`. */
  since?: string;
  until?: string;
  /** The project's folder in the knowledge base (`projects/myapp`) or its last part (`myapp`). */
  project?: string;
  agent?: string;
  /** session, turn or decision. */
  kind?: string;
  /** A turn's or agent session's status, or a decision record's. */
  status?: string;
}

export type FilterField = keyof SearchFilters;

/** The filters checked and in the form the index compares: lower-case tags, ISO bounds. */
export interface ResolvedFilters {
  tags: string[];
  entryTags: string[];
  since?: string;
  until?: string;
  project?: string;
  agent?: string;
  kind?: SearchKind;
  status?: string;
}

/** The words of a query: free words (the last one may be a prefix), quoted phrases, and `-word` exclusions. */
export interface ParsedQuery {
  words: string[];
  phrases: string[][];
  excluded: string[];
  /** The last word is still being typed: it matches as a prefix. */
  lastIsPrefix: boolean;
}

/** Each filter's name where people type it: `tag:auth` in a search box, `--tag auth` on the command line. */
export const FILTER_NAMES: Record<FilterField, string> = {
  tags: 'tag',
  entryTags: 'entry-tag',
  since: 'since',
  until: 'until',
  project: 'project',
  agent: 'agent',
  kind: 'kind',
  status: 'status',
};
const INLINE_FIELD = new Map(Object.entries(FILTER_NAMES).map(([field, name]) => [name, field as FilterField]));
const INLINE_FILTER = new RegExp(`^(${[...INLINE_FIELD.keys()].join('|')}):(\\S+)$`);

/**
 * Splits a query typed in a search box (the quick pick, chat's /search) into its words and the
 * filters written inline, `tag:auth kind:turn since:7d`, so every search box takes the same filters
 * as the CLI's flags.
 */
export function splitInlineFilters(text: string): { query: string; filters: SearchFilters } {
  const filters: SearchFilters = {};
  const rest: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const match = INLINE_FILTER.exec(token);
    if (!match) {
      rest.push(token);
      continue;
    }
    const field = INLINE_FIELD.get(match[1]!)!;
    if (field === 'tags' || field === 'entryTags') filters[field] = [...(filters[field] ?? []), match[2]!];
    else (filters as Record<string, string>)[field] = match[2]!;
  }
  return { query: rest.join(' ') + (/\s$/.test(text) ? ' ' : ''), filters };
}

/** How a search box names a filter in errors: `since:`. */
export function inlineName(field: FilterField): string {
  return `${FILTER_NAMES[field]}:`;
}

/** Reads `auth "token refresh" -legacy`; a query ending in a letter is still being typed, so its last word is a prefix. */
export function parseQuery(text: string): ParsedQuery {
  const words: string[] = [];
  const phrases: string[][] = [];
  const excluded: string[] = [];
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  let lastWasWord = false;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lastWasWord = false;
    if (match[2] !== undefined) {
      const phrase = match[2].split(/\s+/).filter(Boolean);
      if (phrase.length === 0) continue;
      if (match[1]) excluded.push(...phrase);
      else if (phrase.length === 1) words.push(phrase[0]!);
      else phrases.push(phrase);
      continue;
    }
    const word = match[3]!;
    if (word.startsWith('-') && word.length > 1) excluded.push(word.slice(1));
    else if (word !== '-') {
      words.push(word.replace(/^#/, ''));
      lastWasWord = true;
    }
  }
  return { words, phrases, excluded, lastIsPrefix: lastWasWord && !/\s$/.test(text) };
}

/**
 * Checks the filters, naming a bad one as the front end calls it (`name('since')` is `--since`
 * on the command line, `since` over MCP), and resolves spans like `7d` against `now`.
 */
export function resolveFilters(filters: SearchFilters, now: Date, name: (field: FilterField) => string): ResolvedFilters {
  const kind = filters.kind?.trim().toLowerCase();
  if (kind !== undefined && kind !== '' && !(SEARCH_KINDS as readonly string[]).includes(kind)) {
    throw new SessionLogError(
      'invalid_input',
      `${name('kind')}: '${filters.kind}' is not a kind of result.`,
      { field: name('kind'), value: filters.kind },
      `Use one of: ${SEARCH_KINDS.join(', ')}.`,
    );
  }
  const text = (value: string | undefined) => (value?.trim() ? value.trim().toLowerCase() : undefined);
  const resolved: ResolvedFilters = {
    tags: cleanTags(filters.tags ?? [], name('tags')).map((tag) => tag.toLowerCase()),
    entryTags: cleanTags(filters.entryTags ?? [], name('entryTags')).map((tag) => tag.toLowerCase()),
  };
  const since = filters.since?.trim() ? timeBound(filters.since.trim(), now, name('since'), 'start') : undefined;
  const until = filters.until?.trim() ? timeBound(filters.until.trim(), now, name('until'), 'end') : undefined;
  if (since) resolved.since = since;
  if (until) resolved.until = until;
  for (const field of ['project', 'agent', 'status'] as const) {
    const value = text(filters[field]);
    if (value) resolved[field] = field === 'project' ? value.replace(/^\/+|\/+$/g, '') : value;
  }
  if (kind) resolved.kind = kind as SearchKind;
  return resolved;
}

const SPAN = /^(\d+)([hdw])$/;
const SPAN_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `7d` (back from now), `2026-04-09` (that day's start, or its end for `until`) or a whole ISO time. */
function timeBound(value: string, now: Date, field: string, edge: 'start' | 'end'): string {
  const span = SPAN.exec(value);
  if (span) return new Date(now.getTime() - Number(span[1]) * SPAN_MS[span[2] as keyof typeof SPAN_MS]).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    return edge === 'start' ? `${value}T00:00:00.000Z` : `${value}T23:59:59.999Z`;
  }
  const parsed = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(parsed)) return new Date(parsed).toISOString();
  throw new SessionLogError(
    'invalid_input',
    `${field}: '${value}' is neither a date nor a span back from now.`,
    { field, value },
    'Give a date (2026-04-09), a time (2026-04-09T12:00:00Z) or a span such as 12h, 7d or 2w.',
  );
}
