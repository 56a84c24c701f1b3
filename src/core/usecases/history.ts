import type { WorkspaceOptions } from '../context/resolve';
import type { Session } from '../model/session';
import type { Deps } from '../ports';
import { EntryCache, loadProjectEntry } from './readEntries';

interface HistoryInput extends WorkspaceOptions {
  entry?: string;
  limit?: number;
  offset?: number;
  /** Only sessions whose heading time is within these ISO times (a session without one is left out). */
  since?: string;
  until?: string;
  /** Only sessions with this tag (on the session or its entry). */
  tag?: string;
  /** Only sessions whose text contains every word, in any case. */
  text?: string;
}

export interface HistoryPage {
  /** The entry, relative to the knowledge-base root. */
  path: string;
  totalCount: number;
  offset: number;
  limit: number;
  sessions: Session[];
}

/** The project's sessions, newest first (the entry is written oldest first), a page at a time. */
export async function sessionHistory(deps: Deps, input: HistoryInput = {}, cache = new EntryCache()): Promise<HistoryPage> {
  const { resolved, loaded } = await loadProjectEntry(deps, input, cache);
  const count = loaded?.index.count ?? 0;
  const limit = input.limit ?? 20;
  const offset = input.offset ?? 0;
  const matches = sessionFilter(input, loaded?.entry.frontmatter.tags);
  if (matches) {
    const found: Session[] = [];
    for (let i = count - 1; i >= 0; i--) {
      const session = loaded!.index.session(i);
      if (matches(session)) found.push(session);
    }
    return { path: resolved.relativePath, totalCount: found.length, offset, limit, sessions: found.slice(offset, offset + limit) };
  }
  const page: Session[] = [];
  for (let i = count - 1 - offset; i >= 0 && page.length < limit; i--) page.push(loaded!.index.session(i));
  return { path: resolved.relativePath, totalCount: count, offset, limit, sessions: page };
}

/** The test of a session against the input's filters, or undefined when there are none (every session is read then only for its page). */
function sessionFilter(input: HistoryInput, entryTags: unknown): ((session: Session) => boolean) | undefined {
  const tag = input.tag?.trim().replace(/^#/, '').toLowerCase();
  const words = (input.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!input.since && !input.until && !tag && words.length === 0) return undefined;
  const shared = Array.isArray(entryTags) ? entryTags.map((item) => String(item).toLowerCase()) : [];
  return (session) => {
    if ((input.since || input.until) && !session.timestamp) return false;
    if (input.since && session.timestamp! < input.since) return false;
    if (input.until && session.timestamp! > input.until) return false;
    if (tag && !shared.includes(tag) && !session.tags.some((item) => item.toLowerCase() === tag)) return false;
    if (words.length === 0) return true;
    const text = [
      session.heading,
      session.message,
      session.tags.join(' '),
      session.files.join(' '),
      session.next ?? '',
      ...session.decisions.map((item) => `${item.decision} ${item.rationale ?? ''}`),
      ...session.followUps.map((item) => item.text),
    ]
      .join('\n')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  };
}
