import type { Options, Query, SearchOptions } from 'minisearch';
import type { default as MiniSearchType } from 'minisearch';
import type * as Library from './library';
import type { SearchDoc } from './documents';
import type { ParsedQuery, ResolvedFilters } from './query';

let library: typeof Library | undefined;

/** The search libraries, loaded on first use (see library.ts). */
function searchLibrary(): typeof Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require('./library') as typeof Library);
}

/** Bumped whenever what is indexed or how it is analysed changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 1;

/** What is kept beside the index for results and filters (the text is read back from the file). */
export type StoredDoc = Omit<SearchDoc, 'body' | 'title'>;
const STORED: (keyof StoredDoc)[] = [
  'id',
  'kind',
  'path',
  'line',
  'endLine',
  'heading',
  'tags',
  'entryTags',
  'time',
  'project',
  'agent',
  'sessionId',
  'turnId',
  'status',
  'hash',
];

/** Words too common to tell sessions apart; dropped from the index and from queries. */
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'into',
  'is',
  'it',
  'of',
  'on',
  'or',
  'so',
  'that',
  'the',
  'this',
  'to',
  'was',
  'we',
  'were',
  'with',
]);

const BOOST = { title: 3, tagText: 2, body: 1 };

/** A word as the index compares it: lower case, stemmed; undefined for a stop word. */
export function analyse(word: string): string | undefined {
  const lower = word.toLowerCase();
  return STOP_WORDS.has(lower) ? undefined : searchLibrary().stemmer(lower);
}

/**
 * The terms a word gives, in the index and in queries alike: its stem, so every form of a word meets
 * every other, and the word itself when it differs, so the exact form ranks first and a typo is
 * forgiven against the word as written ("invalidaton" is one edit from "invalidation", four from "invalid").
 */
function terms(word: string): string[] | null {
  const stem = analyse(word);
  if (stem === undefined) return null;
  const lower = word.toLowerCase();
  return stem === lower ? [stem] : [stem, lower];
}

function options(): Options<SearchDoc> {
  return {
    fields: ['title', 'tagText', 'body'],
    storeFields: STORED,
    extractField: (doc, field) => (field === 'tagText' ? doc.tags.join(' ') : (doc as unknown as Record<string, unknown>)[field]) as string,
    processTerm: terms,
    autoVacuum: false,
  };
}

export interface FileMark {
  size: number;
  mtimeMs: number;
  ids: string[];
}

export interface Ranked {
  doc: StoredDoc;
  score: number;
  /** The index terms (stems) that matched: what the snippet highlights. */
  terms: string[];
}

/**
 * The index of a knowledge base: MiniSearch's inverted index plus, per file, the size and time it
 * had when read and the documents it gave, so a refresh re-reads only files that changed and
 * re-indexes only sections whose text changed. `changed` holds what is not in the saved base yet.
 */
export class SearchIndex {
  readonly files = new Map<string, FileMark>();
  readonly changed = new Map<string, { mark: FileMark; docs: SearchDoc[] } | null>();
  /** Changed since it was last loaded or saved. */
  dirty = false;

  private constructor(
    private readonly mini: MiniSearchType<SearchDoc>,
    public stamp: string,
  ) {}

  static empty(stamp: string): SearchIndex {
    return new SearchIndex(new (searchLibrary().MiniSearch)<SearchDoc>(options()), stamp);
  }

  static fromSaved(saved: SavedBase): SearchIndex {
    const index = new SearchIndex(searchLibrary().MiniSearch.loadJS<SearchDoc>(saved.index as never, options()), saved.stamp);
    for (const [path, size, mtimeMs, ids] of saved.files) index.files.set(path, { size, mtimeMs, ids });
    return index;
  }

  get documentCount(): number {
    return this.mini.documentCount;
  }

  /** Documents added, replaced or removed since the saved base. */
  get changedDocuments(): number {
    let count = 0;
    for (const change of this.changed.values()) count += change ? change.docs.length : 1;
    return count;
  }

  isCurrent(path: string, size: number, mtimeMs: number): boolean {
    const mark = this.files.get(path);
    return mark !== undefined && mark.size === size && mark.mtimeMs === mtimeMs;
  }

  /** The file now gives `docs`: sections whose hash is unchanged stay as they are. */
  setFile(path: string, mark: { size: number; mtimeMs: number }, docs: SearchDoc[]): void {
    const ids = new Set(docs.map((doc) => doc.id));
    for (const id of this.files.get(path)?.ids ?? []) if (!ids.has(id) && this.mini.has(id)) this.mini.discard(id);
    for (const doc of docs) {
      if (this.mini.has(doc.id)) {
        if (this.mini.getStoredFields(doc.id)?.hash === doc.hash) continue;
        this.mini.discard(doc.id);
      }
      this.mini.add(doc);
    }
    const full = { ...mark, ids: [...ids] };
    this.files.set(path, full);
    this.changed.set(path, { mark: full, docs });
    this.dirty = true;
  }

  removeFile(path: string): void {
    for (const id of this.files.get(path)?.ids ?? []) if (this.mini.has(id)) this.mini.discard(id);
    this.files.delete(path);
    this.changed.set(path, null);
    this.dirty = true;
  }

  /**
   * Ranked documents for the query: BM25 over title, tags and body (boosted in that order), every
   * word stemmed, the last one also as a prefix while it is typed, one typo forgiven in words of
   * five letters or more; any word may match, the more the better; `-word` excludes. Phrases count
   * as their words here and are checked against the text by the caller. Ties go to the newest.
   */
  search(query: ParsedQuery, filters: ResolvedFilters): Ranked[] {
    const { MiniSearch } = searchLibrary();
    const words = [...query.words, ...query.phrases.flat()];
    const last = query.lastIsPrefix ? query.words[query.words.length - 1] : undefined;
    const positive: Query =
      words.length === 0
        ? MiniSearch.wildcard
        : {
            combineWith: 'OR',
            queries: words.map(
              (word) =>
                ({
                  queries: [word],
                  prefix: word === last,
                  fuzzy: (term: string) => (term.length >= 5 ? 1 : 0),
                }) satisfies Query,
            ),
          };
    const excluded = query.excluded.filter((word) => analyse(word) !== undefined);
    const tree: Query =
      excluded.length === 0 ? positive : { combineWith: 'AND_NOT', queries: [positive, { combineWith: 'OR', queries: excluded, prefix: false, fuzzy: false }] };
    const searchOptions: SearchOptions = { boost: BOOST, filter: (result) => matches(result as unknown as StoredDoc, filters) };
    return this.mini
      .search(tree, searchOptions)
      .map((result) => ({ doc: result as unknown as StoredDoc, score: result.score, terms: result.terms }))
      .sort((a, b) => b.score - a.score || (b.doc.time ?? '').localeCompare(a.doc.time ?? '') || a.doc.id.localeCompare(b.doc.id));
  }

  /** The base to save: every file's mark and the whole index; the changes are then part of it. */
  async toSaved(stamp: string): Promise<SavedBase> {
    if (this.mini.dirtCount > 0) await this.mini.vacuum();
    this.stamp = stamp;
    this.changed.clear();
    return {
      version: INDEX_VERSION,
      stamp,
      files: [...this.files].map(([path, mark]) => [path, mark.size, mark.mtimeMs, mark.ids]),
      index: this.mini.toJSON(),
    };
  }
}

export interface SavedBase {
  version: number;
  stamp: string;
  files: [path: string, size: number, mtimeMs: number, ids: string[]][];
  index: unknown;
}

function matches(doc: StoredDoc, filters: ResolvedFilters): boolean {
  if (filters.kind && doc.kind !== filters.kind) return false;
  if (filters.tags.length > 0 && !hasAll(doc.tags, filters.tags)) return false;
  if (filters.entryTags.length > 0 && !hasAll(doc.entryTags, filters.entryTags)) return false;
  if (filters.since || filters.until) {
    const time = doc.time ? Date.parse(doc.time) : NaN;
    if (Number.isNaN(time)) return false;
    if (filters.since && time < Date.parse(filters.since)) return false;
    if (filters.until && time > Date.parse(filters.until)) return false;
  }
  if (filters.agent && doc.agent?.toLowerCase() !== filters.agent) return false;
  if (filters.status && doc.status?.toLowerCase() !== filters.status) return false;
  if (filters.project !== undefined) {
    const project = doc.project.toLowerCase();
    if (project !== filters.project && !project.endsWith(`/${filters.project}`)) return false;
  }
  return true;
}

function hasAll(have: string[], wanted: string[]): boolean {
  const lower = new Set(have.map((tag) => tag.toLowerCase()));
  return wanted.every((tag) => lower.has(tag));
}
