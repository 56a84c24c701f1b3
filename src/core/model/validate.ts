import { SessionLogError } from '../errors';
import { normalizeItem } from '../format/escape';

const TAG = /^[^\s#,[\]]+$/u;

/** Tags from flags or settings: `#` optional, empty ones dropped (memex wrote a bare `#`), duplicates removed. */
export function cleanTags(tags: readonly string[], field = '--tags'): string[] {
  const clean: string[] = [];
  for (const raw of tags.flatMap((tag) => tag.split(','))) {
    const tag = raw.trim().replace(/^#+/, '');
    if (tag === '') continue;
    if (!TAG.test(tag)) {
      throw new SessionLogError('invalid_input', `${field}: tag '${raw.trim()}' may not contain spaces, '#', ',' or brackets.`, { field, tag: raw },
        'Use letters, digits, - _ / or . in tags, e.g. --tags=auth,bugfix.');
    }
    if (!clean.includes(tag)) clean.push(tag);
  }
  return clean;
}

/** `[[links]]`: one line each, no brackets inside, never climbing out of the knowledge base. */
export function cleanLinks(links: readonly string[], field = '--links'): string[] {
  const clean: string[] = [];
  for (const raw of links.flatMap((link) => link.split(','))) {
    const link = raw.trim().replace(/^\[\[/, '').replace(/\]\]$/, '').trim();
    if (link === '') continue;
    if (/[[\]\n\r]/.test(link)) {
      throw new SessionLogError('invalid_input', `${field}: link '${raw.trim()}' may not contain brackets or line breaks.`, { field, link: raw },
        'Give paths relative to the knowledge-base root, e.g. --links=patterns/oauth2.md.');
    }
    const target = linkTarget(link);
    if (target.startsWith('/') || target.split('/').includes('..')) {
      throw new SessionLogError('path_outside_kb', `${field}: link '${link}' points outside the knowledge base.`, { field, link },
        'Links are relative to the knowledge-base root and may not use .. or start with /.');
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
