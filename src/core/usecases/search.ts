import { loadWorkspace, type WorkspaceOptions } from '../context/resolve';
import type { Session } from '../model/session';
import { cleanTags } from '../model/validate';
import type { Deps } from '../ports';
import { EntryCache, loadAllEntries } from './readEntries';

export interface SearchInput extends WorkspaceOptions {
  query: string;
  tags?: string[];
  limit?: number;
}

export interface SearchHit {
  /** The entry, relative to the knowledge-base root. */
  path: string;
  heading: string;
  timestamp?: string;
  line: number;
  tags: string[];
  snippet: string;
  score: number;
  session: Session;
}

/**
 * Finds sessions across the knowledge base: every word of the query must appear in the
 * session (heading, tags, message, structured record, links) or its entry's title; every
 * tag given must be on the session or its entry. Reads the files themselves, so a session
 * is found the moment it is written. Best matches first, then newest.
 */
export async function searchSessions(deps: Deps, input: SearchInput, cache = new EntryCache()): Promise<SearchHit[]> {
  const workspace = await loadWorkspace(deps, input);
  const terms = input.query.toLowerCase().split(/\s+/).filter(Boolean);
  const wanted = cleanTags(input.tags ?? []).map((tag) => tag.toLowerCase());
  const hits: SearchHit[] = [];
  for (const loaded of await loadAllEntries(deps, workspace.kbRoot, cache)) {
    const entryTags = asStrings(loaded.entry.frontmatter.tags).map((tag) => tag.toLowerCase());
    const title = typeof loaded.entry.frontmatter.title === 'string' ? loaded.entry.frontmatter.title : '';
    for (const session of loaded.entry.sessions) {
      const tags = new Set([...entryTags, ...session.tags.map((tag) => tag.toLowerCase())]);
      if (!wanted.every((tag) => tags.has(tag))) continue;
      const haystack = sessionText(session, title).toLowerCase();
      let score = 0;
      for (const term of terms) {
        const count = occurrences(haystack, term);
        if (count === 0) {
          score = -1;
          break;
        }
        score += count + (tags.has(term.replace(/^#/, '')) ? 5 : 0);
      }
      if (score < 0) continue;
      hits.push({
        path: loaded.path,
        heading: session.heading,
        ...(session.timestamp ? { timestamp: session.timestamp } : {}),
        line: session.startLine,
        tags: session.tags,
        snippet: snippet(session.message, terms),
        score,
        session,
      });
    }
  }
  hits.sort((a, b) => b.score - a.score || (b.timestamp ?? '').localeCompare(a.timestamp ?? '') || b.session.index - a.session.index);
  return hits.slice(0, input.limit ?? 20);
}

export function sessionText(session: Session, title = ''): string {
  return [
    title, session.heading, session.tags.map((tag) => `#${tag}`).join(' '), session.message, session.files.join(' '),
    session.decisions.map((d) => `${d.decision} ${d.rationale ?? ''}`).join(' '), session.followUps.map((f) => f.text).join(' '),
    session.next ?? '', session.links.join(' '),
  ].join('\n');
}

function occurrences(haystack: string, term: string): number {
  let count = 0;
  for (let at = haystack.indexOf(term); at !== -1; at = haystack.indexOf(term, at + term.length)) count++;
  return count;
}

function snippet(message: string, terms: string[]): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  const at = terms.length > 0 ? Math.max(0, flat.toLowerCase().indexOf(terms[0]!)) : 0;
  const start = Math.max(0, at - 40);
  const text = flat.slice(start, start + 160);
  return `${start > 0 ? '…' : ''}${text}${start + 160 < flat.length ? '…' : ''}`;
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
