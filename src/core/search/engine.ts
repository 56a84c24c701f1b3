import { BOOSTS, FIELDS, oneEditApart, queryTerms, queryWords, type FieldCounts } from './analysis';
import type { SearchDoc } from './documents';
import type { ParsedQuery, ResolvedFilters } from './query';
import { BaseSegment, lowerBound, MemorySegment, type BaseInput, type Postings, type StoredDoc, type Terms } from './segments';

/** Bumped whenever what is indexed or how it is stored changes: an index of another version is rebuilt. */
export const INDEX_VERSION = 3;

const LETTERS = `abcdefghijklmnopqrstuvwxyz0123456789${String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 0xe0 + i))}`;

/** Terms a prefix or a typo may stand for, at most, per query term (the first in term order). */
const MAX_EXPANSIONS = 64;

interface FileMark {
  size: number;
  mtimeMs: number;
}

export interface Ranked {
  doc: StoredDoc;
  score: number;
  /** The index terms (stems) that matched: what the snippet highlights. */
  terms: string[];
}

/** What changed since the saved base, as `changes.json` keeps it. */
export interface SavedChanges {
  version: number;
  base: string;
  /** Per changed file: its mark and the documents it gives that the base does not hold; null once gone. */
  files: Record<string, { mark: FileMark; docs: SearchDoc[] } | null>;
  /** Base documents no longer current. */
  removed: number[];
}

interface Change {
  mark: FileMark;
  docs: SearchDoc[];
  /** Each document's number in the memory segment. */
  local: number[];
}

/** A term a query term stands for, and how much a match of it counts. */
interface Expansion {
  /** Which of the query's distinct terms it stands for. */
  source: number;
  term: string;
  weight: number;
}

/**
 * The index of a knowledge base: a saved base (see BaseSegment) plus what changed since, in memory
 * (see MemorySegment), as a log-structured store keeps a large sorted run and a small fresh one.
 * Per file it knows the size and time it had when read, so a refresh re-reads only files that
 * changed; of a changed file only sections whose text changed are indexed again.
 */
export class SearchIndex {
  readonly memory = new MemorySegment();
  readonly removed = new Set<number>();
  readonly changed = new Map<string, Change | null>();
  /** Changed since it was last loaded or saved. */
  dirty = false;

  constructor(readonly base?: BaseSegment) {}

  get stamp(): string {
    return this.base?.header.stamp ?? '';
  }

  get documentCount(): number {
    return (this.base?.count ?? 0) - this.removed.size + this.memory.live;
  }

  /** Documents held apart from the base: when they are many, a new base is worth writing. */
  get changedDocuments(): number {
    return this.memory.live + this.removed.size;
  }

  /** Every file the index covers. */
  paths(): string[] {
    const paths = new Set(this.base?.paths());
    for (const [path, change] of this.changed) {
      if (change) paths.add(path);
      else paths.delete(path);
    }
    return [...paths];
  }

  mark(path: string): FileMark | undefined {
    const change = this.changed.get(path);
    if (change !== undefined) return change?.mark;
    return this.base?.file(path);
  }

  isCurrent(path: string, size: number, mtimeMs: number): boolean {
    const change = this.changed.size > 0 ? this.changed.get(path) : undefined;
    if (change !== undefined) return change !== null && change.mark.size === size && change.mark.mtimeMs === mtimeMs;
    return this.base?.isCurrent(path, size, mtimeMs) ?? false;
  }

  /** How many files the index covers (paths().length, without making the list). */
  get fileCount(): number {
    let count = this.base?.fileCount ?? 0;
    for (const [path, change] of this.changed) {
      const inBase = this.base?.file(path) !== undefined;
      if (change && !inBase) count++;
      else if (!change && inBase) count--;
    }
    return count;
  }

  /** The file now gives `docs`: base documents whose hash is unchanged stay as they are. */
  async setFile(path: string, mark: FileMark, docs: SearchDoc[]): Promise<void> {
    const kept = await this.keptFromBase(path, docs);
    // Of what the file gave when it last changed, what is unchanged stays in memory as it is.
    const before = this.changed.get(path);
    const held = new Map<string, { doc: SearchDoc; local: number }>();
    before?.docs.forEach((doc, i) => held.set(doc.id, { doc, local: before.local[i]! }));
    const change: Change = { mark: { size: mark.size, mtimeMs: mark.mtimeMs }, docs: [], local: [] };
    for (const doc of docs) {
      if (kept.has(doc.id)) continue;
      const same = held.get(doc.id);
      const local = same?.doc.hash === doc.hash ? same.local : this.memory.add(doc);
      if (local === same?.local) held.delete(doc.id);
      change.docs.push(doc);
      change.local.push(local);
    }
    for (const { local } of held.values()) this.memory.remove(local);
    this.changed.set(path, change);
    this.dirty = true;
  }

  async removeFile(path: string): Promise<void> {
    await this.keptFromBase(path, []);
    this.dropChange(path);
    this.changed.set(path, null);
    this.dirty = true;
  }

  /** Takes in what a saved changes file holds (it was checked to belong to this base). */
  applyChanges(saved: SavedChanges): void {
    for (const n of saved.removed) this.removed.add(n);
    for (const [path, change] of Object.entries(saved.files)) {
      this.changed.set(path, change && { mark: change.mark, docs: change.docs, local: change.docs.map((doc) => this.memory.add(doc)) });
    }
  }

  changesToSave(): SavedChanges {
    const files: SavedChanges['files'] = {};
    for (const [path, change] of this.changed) files[path] = change && { mark: change.mark, docs: change.docs };
    return { version: INDEX_VERSION, base: this.stamp, files, removed: [...this.removed] };
  }

  /** Marks the file's base documents that `docs` no longer holds as removed; returns the ids kept. */
  private async keptFromBase(path: string, docs: SearchDoc[]): Promise<Set<string>> {
    const kept = new Set<string>();
    const range = this.base?.file(path);
    if (!this.base || !range) return kept;
    const wanted = new Map(docs.map((doc) => [doc.id, doc.hash]));
    (await this.base.docsIn(range.first, range.count)).forEach((doc, i) => {
      const n = range.first + i;
      if (this.removed.has(n)) return;
      if (wanted.get(doc.id) === doc.hash) kept.add(doc.id);
      else this.removed.add(n);
    });
    return kept;
  }

  private dropChange(path: string): void {
    for (const n of this.changed.get(path)?.local ?? []) this.memory.remove(n);
  }

  /**
   * Ranked documents for the query, at most `limit` that pass the filters: BM25+ over title, tags
   * and body (boosted in that order), every word stemmed, the last one also as a prefix while it is
   * typed, one typo forgiven in words of five letters or more; any word may match, and a document's
   * score is multiplied by how many of the query's words it holds (in any form); `-word` excludes. Phrases count as
   * their words here and are checked against the text by the caller. Ties go to the newest.
   */
  async search(query: ParsedQuery, filters: ResolvedFilters, limit: number): Promise<Ranked[]> {
    const count = this.documentCount;
    if (count === 0) return [];
    const baseCount = this.base?.count ?? 0;
    const slots = baseCount + this.memory.docs.length;
    const scores = new Float64Array(slots);
    const matched = new Uint32Array(slots);
    const words = [...query.words, ...query.phrases.flat()];
    const last = query.lastIsPrefix ? query.words.length - 1 : -1;
    const expansions = words.length === 0 ? [] : this.expand(words, last);
    const postings = await Promise.all(expansions.map((expansion) => this.postingsOf(expansion.term)));
    const averages = this.averageLengths(count);
    const baseLengths = (await this.base?.lengths()) ?? new Uint32Array();
    const memoryLengths = Uint32Array.from(this.memory.lengths.flat());
    // Documents that take no part: removed, gone from memory, or holding an excluded word.
    const skip = await this.skipped(query.excluded, baseCount, slots);
    const touched: Touched = { slots: new Int32Array(slots), count: 0 };
    postings.forEach(([base, memory], i) => {
      const { source, weight } = expansions[i]!;
      for (let field = 0; field < FIELDS.length; field++) {
        const df = (base?.[field]?.length ?? 0) / 2 + (memory?.[field]?.length ?? 0) / 2;
        const run: ScoreRun = {
          field,
          bit: 1 << (source % 32),
          factor: weight * BOOSTS[field]! * idf(df, count),
          average: averages[field]!,
          scores,
          matched,
          skip,
          touched,
        };
        if (base) addScores(run, base[field]!, 0, baseLengths);
        if (memory) addScores(run, memory[field]!, baseCount, memoryLengths);
      }
    });
    if (words.length === 0) {
      for (let n = 0; n < slots; n++) {
        if (skip[n] === 0) touched.slots[touched.count++] = n;
        scores[n] = 1;
      }
    } else for (let i = 0; i < touched.count; i++) scores[touched.slots[i]!]! *= bitCount(matched[touched.slots[i]!]!);
    const candidates = touched.slots.subarray(0, touched.count);
    const times = await this.slotTimes(baseCount, slots);
    const results: Ranked[] = [];
    // The best few, then more only as far as the filters turn them down.
    for (let taken = 0, want = limit + 16; results.length < limit && taken < candidates.length; want *= 4) {
      const best = topRanked(candidates, want, scores, times);
      const page = best.slice(taken);
      const docs = await Promise.all(page.map((n) => this.storedDoc(n, baseCount)));
      for (let i = 0; i < page.length && results.length < limit; i++) {
        const n = page[i]!;
        if (matches(docs[i]!, filters)) results.push({ doc: docs[i]!, score: scores[n]!, terms: matchedTerms(n, baseCount, expansions, postings) });
      }
      taken = best.length;
    }
    return results;
  }

  /** Each slot's time, for ties (the newer ranks first); -Infinity for a document without one. */
  private async slotTimes(baseCount: number, slots: number): Promise<Float64Array> {
    const times = new Float64Array(slots);
    if (this.base) times.set(await this.base.times());
    this.memory.docs.forEach((doc, n) => (times[baseCount + n] = Date.parse(doc?.time ?? '')));
    for (let n = 0; n < slots; n++) if (!(times[n]! > -Infinity)) times[n] = -Infinity;
    return times;
  }

  /** The terms each query term stands for: its own, the words it begins (the last word's), those one typo away. */
  private expand(words: string[], last: number): Expansion[] {
    const expansions: Expansion[] = [];
    const sources = new Map<string, number>();
    const vocabularies: Terms[] = [this.base?.vocabulary ?? [], this.memory.terms()];
    words.forEach((word, i) => {
      // A word's stem and its form as written are one query term: a document holding both matches it once.
      for (const terms of queryWords(word)) {
        if (sources.has(terms[0]!)) continue;
        const source = sources.size;
        sources.set(terms[0]!, source);
        const weights = new Map<string, number>(terms.map((term) => [term, 1]));
        const consider = (candidate: string, weight: number) => {
          if (weight > (weights.get(candidate) ?? 0) && weights.size < MAX_EXPANSIONS) weights.set(candidate, weight);
        };
        for (const term of terms) {
          for (const vocabulary of vocabularies) {
            if (i === last) {
              for (let at = lowerBound(vocabulary, term); at < vocabulary.length && vocabulary.at(at)!.startsWith(term); at++) {
                const candidate = vocabulary.at(at)!;
                consider(candidate, (0.375 * candidate.length) / (candidate.length + 0.3 * (candidate.length - term.length)));
              }
            }
            if (term.length >= 5) {
              for (const candidate of oneEditAway(term, vocabulary)) consider(candidate, (0.45 * candidate.length) / (candidate.length + 1));
            }
          }
        }
        for (const [candidate, weight] of weights) expansions.push({ source, term: candidate, weight });
      }
    });
    return expansions;
  }

  private async postingsOf(term: string): Promise<[Postings | undefined, Postings | undefined]> {
    const row = this.base ? this.base.termIndex(term) : -1;
    const memory = this.memory.postings.get(term);
    return [row >= 0 ? await this.base!.postings(row) : undefined, memory && (memory.map((list) => Uint32Array.from(list)) as Postings)];
  }

  private averageLengths(count: number): FieldCounts {
    const totals = this.base?.header.totals ?? [0, 0, 0];
    return totals.map((total, field) => (total + this.memory.totals[field]!) / count) as FieldCounts;
  }

  /** A mark for each document that takes no part: removed from the base, gone from memory, or holding an excluded word (as written, or stemmed). */
  private async skipped(excluded: string[], baseCount: number, slots: number): Promise<Uint8Array> {
    const skip = new Uint8Array(slots);
    for (const n of this.removed) skip[n] = 1;
    this.memory.docs.forEach((doc, n) => {
      if (!doc) skip[baseCount + n] = 1;
    });
    const terms = excluded.flatMap((word) => queryTerms(word));
    for (const [base, memory] of await Promise.all(terms.map((term) => this.postingsOf(term)))) {
      for (let field = 0; field < FIELDS.length; field++) {
        const list = base?.[field];
        if (list) for (let k = 0; k < list.length; k += 2) skip[list[k]!] = 1;
        const own = memory?.[field];
        if (own) for (let k = 0; k < own.length; k += 2) skip[baseCount + own[k]!] = 1;
      }
    }
    return skip;
  }

  private async storedDoc(n: number, baseCount: number): Promise<StoredDoc> {
    if (n < baseCount) return this.base!.doc(n);
    const { body: _body, title: _title, ...stored } = this.memory.docs[n - baseCount]!;
    return stored;
  }

  /**
   * Everything the index holds, for a new base: live base documents keep their terms (read back
   * from the base's postings), changed ones are analysed again; documents are numbered anew,
   * file by file in path order, so each file's documents are one run.
   */
  async toBaseInput(): Promise<BaseInput> {
    const baseCount = this.base?.count ?? 0;
    const order: { path: string; line: number; n: number }[] = [];
    const fileOrder = this.paths().sort();
    const marks = new Map(fileOrder.map((path) => [path, this.mark(path)!]));
    const baseDocs: StoredDoc[] = [];
    for (let first = 0; first < baseCount; first += 4_096) baseDocs.push(...(await this.base!.docsIn(first, Math.min(4_096, baseCount - first))));
    baseDocs.forEach((doc, n) => {
      if (!this.removed.has(n)) order.push({ path: doc.path, line: doc.line, n });
    });
    this.memory.docs.forEach((doc, local) => {
      if (doc) order.push({ path: doc.path, line: doc.line, n: baseCount + local });
    });
    order.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.n - b.n));
    const renumber = new Int32Array(baseCount + this.memory.docs.length).fill(-1);
    order.forEach(({ n }, i) => (renumber[n] = i));
    const postings = new Map<string, number[][]>();
    const docs: StoredDoc[] = [];
    const lengths: FieldCounts[] = [];
    const baseLengths = await this.base?.lengths();
    for (const { n } of order) {
      docs.push(n < baseCount ? baseDocs[n]! : await this.storedDoc(n, baseCount));
      lengths.push(n < baseCount ? [baseLengths![n * 3]!, baseLengths![n * 3 + 1]!, baseLengths![n * 3 + 2]!] : [...this.memory.lengths[n - baseCount]!]);
    }
    if (this.base) await this.carryBasePostings(postings, renumber);
    this.carryMemoryPostings(postings, renumber, baseCount);
    for (const lists of postings.values()) for (const list of lists) sortPairs(list);
    const counts = new Map<string, number>();
    for (const doc of docs) counts.set(doc.path, (counts.get(doc.path) ?? 0) + 1);
    const files = fileOrder.map((path) => ({ path, ...marks.get(path)!, count: counts.get(path) ?? 0 }));
    return { files, docs, lengths, postings };
  }

  private carryMemoryPostings(postings: Map<string, number[][]>, renumber: Int32Array, baseCount: number): void {
    for (const [term, lists] of this.memory.postings) {
      let target = postings.get(term);
      for (let field = 0; field < FIELDS.length; field++) {
        const list = lists[field]!;
        for (let k = 0; k < list.length; k += 2) {
          const n = renumber[baseCount + list[k]!]!;
          if (n < 0) continue;
          if (!target) postings.set(term, (target = [[], [], []]));
          target[field]!.push(n, list[k + 1]!);
        }
      }
    }
  }

  private async carryBasePostings(postings: Map<string, number[][]>, renumber: Int32Array): Promise<void> {
    const base = this.base!;
    const postingsOf = await base.allPostings();
    for (let row = 0; row < base.vocabulary.length; row++) {
      const lists = postingsOf(row);
      let target: number[][] | undefined;
      for (let field = 0; field < FIELDS.length; field++) {
        const list = lists[field]!;
        for (let k = 0; k < list.length; k += 2) {
          const n = renumber[list[k]!]!;
          if (n < 0) continue;
          if (!target) postings.set(base.vocabulary.at(row)!, (target = [[], [], []]));
          target[field]!.push(n, list[k + 1]!);
        }
      }
    }
  }
}

/**
 * The terms of sorted `vocabulary` one insertion, deletion or substitution away from `term`. In a
 * large vocabulary each such spelling is looked up by binary search rather than every term compared;
 * the letters tried are the term's own, ASCII's and Latin-1's (a typo elsewhere in Unicode is missed).
 */
function oneEditAway(term: string, vocabulary: Terms): string[] {
  if (vocabulary.length < 2_000) {
    return Array.from({ length: vocabulary.length }, (_, i) => vocabulary.at(i)!).filter((candidate) => oneEditApart(term, candidate));
  }
  const letters = new Set(`${LETTERS}${term}`);
  const found = new Set<string>();
  const look = (candidate: string) => {
    if (candidate !== term && vocabulary.at(lowerBound(vocabulary, candidate)) === candidate) found.add(candidate);
  };
  for (let i = 0; i <= term.length; i++) {
    const head = term.slice(0, i);
    if (i < term.length) look(head + term.slice(i + 1));
    for (const letter of letters) {
      look(head + letter + term.slice(i));
      if (i < term.length) look(head + letter + term.slice(i + 1));
    }
  }
  return [...found];
}

/** One field of one expansion being added to the scores: BM25+ (k 1.2, b 0.7, d 0.5), weighted and boosted. */
interface ScoreRun {
  field: number;
  bit: number;
  /** The expansion's weight times the field's boost times the term's rarity (idf). */
  factor: number;
  average: number;
  scores: Float64Array;
  matched: Uint32Array;
  skip: Uint8Array;
  /** Each document the first time it matches. */
  touched: Touched;
}

/** The documents a query's terms touch, each once, in the order first touched. */
interface Touched {
  slots: Int32Array;
  count: number;
}

function addScores(run: ScoreRun, list: Uint32Array, offset: number, lengths: Uint32Array): void {
  const { field, bit, factor, scores, matched, skip, touched } = run;
  const perLength = (1.2 * 0.7) / (run.average || 1);
  for (let k = 0; k < list.length; k += 2) {
    const n = list[k]!;
    const slot = offset + n;
    if (skip[slot] === 1) continue;
    const tf = list[k + 1]!;
    scores[slot] = scores[slot]! + factor * (0.5 + (tf * 2.2) / (tf + 1.2 * 0.3 + perLength * lengths[n * 3 + field]!));
    if (matched[slot] === 0) touched.slots[touched.count++] = slot;
    matched[slot] = matched[slot]! | bit;
  }
}

function idf(df: number, count: number): number {
  return Math.log(1 + (count - df + 0.5) / (df + 0.5));
}

/** Whether document `a` ranks before `b`: the higher score, then the newer, then the earlier in the index. */
function ranksBefore(a: number, b: number, scores: Float64Array, times: Float64Array): boolean {
  const difference = scores[a]! - scores[b]!;
  if (difference !== 0) return difference > 0;
  return times[a] !== times[b] ? times[a]! > times[b]! : a < b;
}

/**
 * The `count` best candidates, best first: one pass keeping the best so far in a heap whose root is
 * the worst of them, so most candidates cost one comparison, not a sort.
 */
function topRanked(candidates: Int32Array, count: number, scores: Float64Array, times: Float64Array): number[] {
  const heap = new Int32Array(Math.min(count, candidates.length));
  let filled = 0;
  const swap = (i: number, j: number) => {
    const kept = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = kept;
  };
  for (let c = 0; c < candidates.length; c++) {
    const n = candidates[c]!;
    if (filled < heap.length) {
      heap[filled] = n;
      for (let i = filled++; i > 0 && ranksBefore(heap[(i - 1) >> 1]!, heap[i]!, scores, times); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (ranksBefore(n, heap[0]!, scores, times)) {
      heap[0] = n;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        let worst = i;
        if (left < filled && ranksBefore(heap[worst]!, heap[left]!, scores, times)) worst = left;
        if (left + 1 < filled && ranksBefore(heap[worst]!, heap[left + 1]!, scores, times)) worst = left + 1;
        if (worst === i) break;
        swap(i, worst);
        i = worst;
      }
    }
  }
  return Array.from(heap).sort((a, b) => (ranksBefore(a, b, scores, times) ? -1 : 1));
}

function bitCount(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count++;
  return count;
}

/** The expansions' terms found in document `n`: what its snippet highlights. */
function matchedTerms(n: number, baseCount: number, expansions: Expansion[], postings: [Postings | undefined, Postings | undefined][]): string[] {
  const terms: string[] = [];
  postings.forEach(([base, memory], i) => {
    const lists = n < baseCount ? base : memory;
    const target = n < baseCount ? n : n - baseCount;
    if (lists?.some((list) => hasDoc(list, target))) terms.push(expansions[i]!.term);
  });
  return terms;
}

/** Binary search of [document, frequency] pairs sorted by document. */
function hasDoc(list: ArrayLike<number>, n: number): boolean {
  let low = 0;
  let high = list.length / 2;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = list[mid * 2]!;
    if (at === n) return true;
    if (at < n) low = mid + 1;
    else high = mid;
  }
  return false;
}

function sortPairs(list: number[]): void {
  if (list.length <= 2) return;
  let sorted = true;
  for (let k = 2; k < list.length && sorted; k += 2) sorted = list[k - 2]! < list[k]!;
  if (sorted) return;
  const pairs: [number, number][] = [];
  for (let k = 0; k < list.length; k += 2) pairs.push([list[k]!, list[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  pairs.forEach(([n, tf], i) => {
    list[i * 2] = n;
    list[i * 2 + 1] = tf;
  });
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
