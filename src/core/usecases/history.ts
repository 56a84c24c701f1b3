import type { WorkspaceOptions } from '../context/resolve';
import type { Session } from '../model/session';
import type { Deps } from '../ports';
import { EntryCache, loadProjectEntry } from './readEntries';

export interface HistoryInput extends WorkspaceOptions {
  entry?: string;
  limit?: number;
  offset?: number;
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
  const page: Session[] = [];
  for (let i = count - 1 - offset; i >= 0 && page.length < limit; i--) page.push(loaded!.index.session(i));
  return { path: resolved.relativePath, totalCount: count, offset, limit, sessions: page };
}
