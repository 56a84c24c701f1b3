import * as path from 'node:path';
import { loadWorkspace, type WorkspaceOptions } from '../context/resolve';
import type { Deps } from '../ports';
import { analyse } from '../search/analysis';
import type { Ranked } from '../search/engine';
import { parseQuery, resolveFilters, type FilterField, type SearchFilters, type SearchKind } from '../search/query';
import { hasPhrase, makeSnippet, plainText } from '../search/snippet';
import { withFreshIndex } from '../search/store';

export interface SearchInput extends WorkspaceOptions, SearchFilters {
  /** Words (the last one matched as a prefix while typed), "quoted phrases", -excluded words. */
  query: string;
  limit?: number;
  /** How the front end names a filter in its error messages, e.g. `--since`; the field's own name by default. */
  fieldName?: (field: FilterField) => string;
}

/** Where a match is, and a few words around it: never the whole section. */
export interface SearchHit {
  kind: SearchKind;
  /** The file, relative to the knowledge-base root. */
  path: string;
  /** 1-based lines of the section (session, turn or record). */
  line: number;
  endLine: number;
  heading: string;
  sessionId?: string;
  turnId?: string;
  agent?: string;
  /** The folder of the project the file belongs to. */
  project: string;
  status?: string;
  /** ISO time of the session, the turn's start, the record's date. */
  time?: string;
  tags: string[];
  score: number;
  snippet: string;
  /** [start, end) of each matched word in `snippet`. */
  highlights: [number, number][];
}

/** Candidates checked for a quoted phrase before giving up: phrases are verified against the text. */
const PHRASE_CANDIDATES = 2_000;

/**
 * Ranked search over every session, agent session, turn and decision record of the knowledge base
 * (see SearchIndex.search for the ranking), with filters. The index is brought up to date with the
 * files first, so a session is found the moment it is written, by whatever wrote it.
 */
export async function searchSessions(deps: Deps, input: SearchInput): Promise<SearchHit[]> {
  const workspace = await loadWorkspace(deps, input);
  const filters = resolveFilters(input, deps.clock.now(), input.fieldName ?? ((field) => field));
  const query = parseQuery(input.query);
  const limit = input.limit ?? 20;
  const ranked = await withFreshIndex(deps, workspace.kbRoot, (index) => index.search(query, filters, query.phrases.length > 0 ? PHRASE_CANDIDATES : limit));
  const section = async ({ doc }: Ranked) => {
    // Only the section's bytes, where the refresh just found them: never a whole entry per hit.
    const bytes = await deps.fs.readRange(path.posix.join(workspace.kbRoot, doc.path), doc.start, doc.end - doc.start);
    const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
    return { heading: plainText(lines.slice(0, 1)), text: plainText(lines.slice(1, doc.endLine - doc.line + 1)) };
  };
  const hits: SearchHit[] = [];
  // Read a page of sections at a time, each page at once: a phrase may turn many candidates down.
  for (let at = 0; at < ranked.length && hits.length < limit; at += limit) {
    const page = ranked.slice(at, at + limit);
    const sections = await Promise.all(page.map(section));
    page.forEach((candidate, i) => {
      const { heading, text } = sections[i]!;
      if (hits.length < limit && query.phrases.every((phrase) => hasPhrase(`${heading} ${text}`, phrase, normalize))) hits.push(hitOf(candidate, text));
    });
  }
  return hits;
}

function normalize(word: string): string {
  return analyse(word) ?? word.toLowerCase();
}

/** A word of the text is a match when its stem or the word itself is a matched term. */
function matched(terms: string[]): (word: string) => boolean {
  const set = new Set(terms);
  return (word) => set.has(word.toLowerCase()) || set.has(normalize(word));
}

function hitOf({ doc, score, terms }: Ranked, text: string): SearchHit {
  const snippet = makeSnippet(text, matched(terms));
  return {
    kind: doc.kind,
    path: doc.path,
    line: doc.line,
    endLine: doc.endLine,
    heading: doc.heading,
    ...(doc.sessionId ? { sessionId: doc.sessionId } : {}),
    ...(doc.turnId ? { turnId: doc.turnId } : {}),
    ...(doc.agent ? { agent: doc.agent } : {}),
    project: doc.project,
    ...(doc.status ? { status: doc.status } : {}),
    ...(doc.time ? { time: doc.time } : {}),
    tags: doc.tags,
    score: Math.round(score * 1000) / 1000,
    snippet: snippet.text,
    highlights: snippet.highlights,
  };
}
