import { SessionLogError } from '../errors';
import { normalizeItem } from '../format/escape';

const TAG = /^[^\s#,[\]]+$/u;
/** A `#tag` inside text: after a space or at the start, a letter or `_` first (`#123` is not a tag), then what a tag may hold. */
const INLINE_TAG = /(^|\s)#([\p{L}_][^\s#,[\]]*)/gu;
const TRAILING_TAGS = /(?:\s+#[\p{L}_][^\s#,[\]]*)+\s*$/u;

/** Tags from flags or settings: `#` optional, empty ones dropped (memex wrote a bare `#`), duplicates removed. */
export function cleanTags(tags: readonly string[], field = '--tags'): string[] {
  const clean: string[] = [];
  for (const raw of tags.flatMap((tag) => tag.split(','))) {
    const tag = raw.trim().replace(/^#+/, '');
    if (tag === '') continue;
    if (!TAG.test(tag)) {
      throw new SessionLogError(
        'invalid_input',
        `${field}: tag '${raw.trim()}' may not contain spaces, '#', ',' or brackets.`,
        { field, tag: raw },
        'Use letters, digits, - _ / or . in tags, e.g. --tags=auth,bugfix.',
      );
    }
    if (!clean.includes(tag)) clean.push(tag);
  }
  return clean;
}

/**
 * Splits inline `#tags` off a quick note (Quick Log, the chat's `/log <text>` and `/search`): a
 * run of tags at the end is removed, a tag inside the sentence keeps its word ("Fixed #auth bug"
 * → "Fixed auth bug").
 */
export function splitTags(text: string): { message: string; tags: string[] } {
  const tags = [...text.matchAll(INLINE_TAG)].map((match) => match[2]!);
  const message = text
    .replace(TRAILING_TAGS, '')
    .replace(INLINE_TAG, (_match, space: string, tag: string) => `${space}${tag}`)
    .trim();
  return { message, tags };
}

/** `[[links]]`: one line each, no brackets inside, never climbing out of the knowledge base. */
export function cleanLinks(links: readonly string[], field = '--links'): string[] {
  const clean: string[] = [];
  for (const raw of links.flatMap((link) => link.split(','))) {
    const link = raw.trim().replace(/^\[\[/, '').replace(/\]\]$/, '').trim();
    if (link === '') continue;
    if (/[[\]\n\r]/.test(link)) {
      throw new SessionLogError(
        'invalid_input',
        `${field}: link '${raw.trim()}' may not contain brackets or line breaks.`,
        { field, link: raw },
        'Give paths relative to the knowledge-base root, e.g. --links=patterns/oauth2.md.',
      );
    }
    const target = linkTarget(link);
    if (target.startsWith('/') || target.split('/').includes('..')) {
      throw new SessionLogError(
        'path_outside_kb',
        `${field}: link '${link}' points outside the knowledge base.`,
        { field, link },
        'Links are relative to the knowledge-base root and may not use .. or start with /.',
      );
    }
    if (!clean.includes(link)) clean.push(link);
  }
  return clean;
}

/** The path part of a link, without a `|title` or `#heading`. */
export function linkTarget(link: string): string {
  return link.split('|')[0]!.split('#')[0]!.trim();
}

export function cleanItems(items: readonly string[]): string[] {
  const clean: string[] = [];
  for (const item of items.map(normalizeItem)) if (item && !clean.includes(item)) clean.push(item);
  return clean;
}

/**
 * What in `text` would make an entry unreadable, if anything: a NUL or another control
 * character of binary data (tab, line breaks, form feed and the escape of terminal colours are
 * text), or half of a UTF-16 pair, which has no UTF-8 form and would be written as U+FFFD.
 */
export function binaryProblem(text: string): string | undefined {
  const match = /[\u0000-\u0008\u000B\u000E-\u001A\u001C-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const what =
    code === 0
      ? 'a NUL byte'
      : code >= 0xd800
        ? `an unpaired surrogate U+${code.toString(16).toUpperCase()}`
        : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `contains ${what} at character ${match.index + 1}`;
}

/** Refuses text that would make an entry unreadable, naming the field it came in. */
export function checkText<T extends string | undefined>(text: T, field: string, code: 'invalid_input' | 'invalid_parameter' = 'invalid_input'): T {
  const problem = text === undefined ? undefined : binaryProblem(text);
  if (problem) {
    throw new SessionLogError(
      code,
      `${field} ${problem}: binary content cannot be written into a Markdown entry.`,
      { field },
      'Give plain text; to keep a binary file, link to it instead of pasting it.',
    );
  }
  return text;
}
