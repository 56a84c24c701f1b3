import { analyseDoc, FIELDS, type FieldCounts } from './analysis';
import type { SearchDoc } from './documents';

/** What is kept beside the index for results and filters (the text is read back from the file). */
export type StoredDoc = Omit<SearchDoc, 'body' | 'title'>;

/** A term's postings: per field, [document, frequency] pairs in document order. */
export type Postings = [Uint32Array, Uint32Array, Uint32Array];

/** Documents to put in a base, in the order they take, with their terms per field. */
export interface BaseInput {
  /** Every file, in the order of its documents (a file may give none), with the size and time it was read at. */
  files: { path: string; size: number; mtimeMs: number; count: number }[];
  docs: StoredDoc[];
  lengths: FieldCounts[];
  postings: Map<string, number[][]>;
}

/**
 * The documents written since the saved base, indexed in memory. A document taken out stays in
 * the postings until the segment is rebuilt; `docs` tells which are live.
 */
export class MemorySegment {
  readonly docs: (SearchDoc | undefined)[] = [];
  readonly lengths: FieldCounts[] = [];
  readonly totals: FieldCounts = [0, 0, 0];
  readonly postings = new Map<string, number[][]>();
  live = 0;
  private sorted: string[] | undefined;

  add(doc: SearchDoc): number {
    const n = this.docs.length;
    const { terms, lengths } = analyseDoc(doc);
    this.docs.push(doc);
    this.lengths.push(lengths);
    lengths.forEach((length, field) => (this.totals[field]! += length));
    for (const [term, counts] of terms) {
      let lists = this.postings.get(term);
      if (!lists) {
        this.postings.set(term, (lists = [[], [], []]));
        this.sorted = undefined;
      }
      counts.forEach((tf, field) => {
        if (tf > 0) lists[field]!.push(n, tf);
      });
    }
    this.live++;
    return n;
  }

  remove(n: number): void {
    if (!this.docs[n]) return;
    this.docs[n] = undefined;
    this.lengths[n]!.forEach((length, field) => (this.totals[field]! -= length));
    this.live--;
  }

  /** Removed documents outnumber the live ones: worth indexing the live ones afresh. */
  get wasteful(): boolean {
    return this.docs.length - this.live > Math.max(500, this.live);
  }

  /** Every term, sorted (terms only removed documents had included). */
  terms(): string[] {
    return (this.sorted ??= [...this.postings.keys()].sort());
  }
}

/** The saved base's header (`base.json`): written last, so a reader never sees half a base. */
export interface BaseHeader {
  version: number;
  stamp: string;
  /** Documents in the base; each one's number is its place. */
  count: number;
  /** Each field's length summed over the documents. */
  totals: FieldCounts;
  /** Per file: its size and time when read, and the run of documents it gave. */
  files: [path: string, size: number, mtimeMs: number, first: number, count: number][];
}

/** A fault of the saved index itself (a part missing, cut short or garbled), never of the knowledge base: the index is rebuilt. */
export class IndexFault extends Error {
  constructor(what: string, cause?: unknown) {
    super(`search index: ${what}`, cause === undefined ? undefined : { cause });
  }
}

/** Reads the parts of a saved base its queries need, each once, as they are needed. */
export interface BaseFiles {
  read(name: string): Promise<Uint8Array>;
  readRange(name: string, start: number, length: number): Promise<Uint8Array>;
}

/** A term's row in the term table: where its postings start, its count per field, where its spelling starts in the vocabulary. */
const TERM_ROW = 5;

/** Runs of documents kept read (see BaseSegment.docsIn). */
const RUNS_KEPT = 16;

/** The time, byte range and field lengths of each document, in columns. */
interface Columns {
  times: Float64Array;
  /** Where each document's line starts in the documents part, and where the last one ends. */
  offsets: Float64Array;
  lengths: Uint32Array;
}

/**
 * The saved base: the term table, vocabulary and postings in binary, each document's time, place
 * and field lengths in binary, the stored fields one JSON line per document. A query reads the
 * header, the term table and vocabulary, the postings of the terms it asks for and the lines of the
 * documents it returns: never the whole index.
 */
export class BaseSegment {
  readonly vocabulary: Terms;
  /** Each file's row in the header. */
  private readonly rows = new Map<string, number>();
  private columns: Promise<Columns> | undefined;
  /** Runs of documents lately read, the most recent last. */
  private readonly runs = new Map<string, Promise<StoredDoc[]>>();

  private constructor(
    readonly header: BaseHeader,
    private readonly io: BaseFiles,
    private readonly table: Uint32Array,
    vocabulary: string,
  ) {
    const terms = table.length / TERM_ROW;
    if (!Number.isInteger(terms) || (terms > 0 && table[(terms - 1) * TERM_ROW + 4]! > vocabulary.length)) {
      throw new IndexFault('the term table does not match the vocabulary');
    }
    this.vocabulary = new SortedTerms(vocabulary, table);
    header.files.forEach((file, row) => this.rows.set(file[0], row));
  }

  /** The base whose header is `header`, with what every query needs read: the term table and the vocabulary. */
  static async open(header: BaseHeader, io: BaseFiles): Promise<BaseSegment> {
    const [table, vocabulary] = await Promise.all([io.read('terms'), io.read('vocabulary')]);
    return new BaseSegment(header, io, uint32(table), new TextDecoder().decode(vocabulary));
  }

  /** The base just written from `encodeBase`'s parts, without reading them back. */
  static written(header: BaseHeader, io: BaseFiles, files: Map<string, Uint8Array>): BaseSegment {
    return new BaseSegment(header, io, uint32(files.get('terms')!), new TextDecoder().decode(files.get('vocabulary')));
  }

  get count(): number {
    return this.header.count;
  }

  get fileCount(): number {
    return this.rows.size;
  }

  /** The base holds the file as it is now: the same size and time. */
  isCurrent(path: string, size: number, mtimeMs: number): boolean {
    const row = this.rows.get(path);
    if (row === undefined) return false;
    const file = this.header.files[row]!;
    return file[1] === size && file[2] === mtimeMs;
  }

  paths(): IterableIterator<string> {
    return this.rows.keys();
  }

  /** The file's mark and run of documents, as the base holds them. */
  file(path: string): { size: number; mtimeMs: number; first: number; count: number } | undefined {
    const row = this.rows.get(path);
    if (row === undefined) return undefined;
    const [, size, mtimeMs, first, count] = this.header.files[row]!;
    return { size, mtimeMs, first, count };
  }

  /** The term's row in the table, or -1. */
  termIndex(term: string): number {
    const at = lowerBound(this.vocabulary, term);
    return this.vocabulary.at(at) === term ? at : -1;
  }

  async postings(row: number): Promise<Postings> {
    const pairs = this.pairsOf(row);
    const bytes = await this.io.readRange('postings', this.table[row * TERM_ROW]! * 4, pairs * 8);
    if (bytes.length !== pairs * 8) throw new IndexFault('the postings file is shorter than its term table says');
    return this.split(uint32(bytes), row);
  }

  /** Every term's postings, from one read of the whole file: what a merge into a new base goes through. */
  async allPostings(): Promise<(row: number) => Postings> {
    const all = uint32(await this.io.read('postings'));
    return (row) => {
      const start = this.table[row * TERM_ROW]!;
      const end = start + this.pairsOf(row) * 2;
      if (end > all.length) throw new IndexFault('the postings file is shorter than its term table says');
      return this.split(all.subarray(start, end), row);
    };
  }

  async times(): Promise<Float64Array> {
    return (await this.docColumns()).times;
  }

  async lengths(): Promise<Uint32Array> {
    return (await this.docColumns()).lengths;
  }

  /** Documents `first` to `first + count - 1`, from one read of their lines; a file's run read lately is kept (a file logged to again and again). */
  docsIn(first: number, count: number): Promise<StoredDoc[]> {
    const key = `${first}+${count}`;
    let docs = this.runs.get(key);
    if (!docs) {
      docs = this.readDocs(first, count);
      docs.catch(() => this.runs.delete(key));
      if (this.runs.size >= RUNS_KEPT) this.runs.delete(this.runs.keys().next().value!);
    } else this.runs.delete(key);
    this.runs.set(key, docs);
    return docs;
  }

  private async readDocs(first: number, count: number): Promise<StoredDoc[]> {
    if (count === 0) return [];
    const { offsets } = await this.docColumns();
    const start = offsets[first]!;
    const bytes = await this.io.readRange('docs', start, offsets[first + count]! - start);
    const lines = new TextDecoder().decode(bytes).split('\n');
    lines.pop();
    if (lines.length !== count) throw new IndexFault(`documents ${first} to ${first + count - 1} are cut short`);
    return lines.map((line, i) => {
      try {
        return JSON.parse(line) as StoredDoc;
      } catch (error) {
        throw new IndexFault(`document ${first + i} is garbled`, error);
      }
    });
  }

  async doc(n: number): Promise<StoredDoc> {
    return (await this.readDocs(n, 1))[0]!;
  }

  private pairsOf(row: number): number {
    return this.table[row * TERM_ROW + 1]! + this.table[row * TERM_ROW + 2]! + this.table[row * TERM_ROW + 3]!;
  }

  /** A term's run of pairs, cut into its fields' lists as the term table counts them. */
  private split(pairs: Uint32Array, row: number): Postings {
    const first = this.table[row * TERM_ROW + 1]! * 2;
    const second = first + this.table[row * TERM_ROW + 2]! * 2;
    return [pairs.subarray(0, first), pairs.subarray(first, second), pairs.subarray(second)];
  }

  private docColumns(): Promise<Columns> {
    return (this.columns ??= this.io.read('columns').then((bytes) => {
      const count = this.header.count;
      if (bytes.length !== count * 28 + 8) throw new IndexFault('the document columns do not match the header');
      // Read in place where the bytes start on an 8-byte boundary (a read of this size has a buffer of its own).
      const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
      const at = own.byteOffset;
      return {
        times: new Float64Array(own.buffer, at, count),
        offsets: new Float64Array(own.buffer, at + count * 8, count + 1),
        lengths: new Uint32Array(own.buffer, at + count * 16 + 8, count * 3),
      };
    }));
  }
}

/** The files of a base, by name: the header last, the rest named after the header's stamp. */
export function encodeBase(stamp: string, version: number, input: BaseInput): { header: BaseHeader; files: Map<string, Uint8Array> } {
  const { docs, lengths, postings } = input;
  const encoder = new TextEncoder();
  const vocabulary = [...postings.keys()].sort();
  const table = new Uint32Array(vocabulary.length * TERM_ROW);
  let pairs = 0;
  for (const lists of postings.values()) pairs += (lists[0]!.length + lists[1]!.length + lists[2]!.length) / 2;
  const all = new Uint32Array(pairs * 2);
  let at = 0;
  let spelling = 0;
  vocabulary.forEach((term, row) => {
    const lists = postings.get(term)!;
    table[row * TERM_ROW] = at;
    for (let field = 0; field < FIELDS.length; field++) {
      const list = lists[field]!;
      table[row * TERM_ROW + 1 + field] = list.length / 2;
      all.set(list, at);
      at += list.length;
    }
    table[row * TERM_ROW + 4] = spelling;
    spelling += term.length;
  });
  const count = docs.length;
  const columns = new Uint8Array(count * 28 + 8);
  const times = new Float64Array(columns.buffer, 0, count);
  const offsets = new Float64Array(columns.buffer, count * 8, count + 1);
  const lengthColumn = new Uint32Array(columns.buffer, count * 16 + 8, count * 3);
  const totals: FieldCounts = [0, 0, 0];
  const lines = docs.map((doc) => encoder.encode(`${JSON.stringify(doc)}\n`));
  let offset = 0;
  docs.forEach((doc, n) => {
    times[n] = doc.time ? Date.parse(doc.time) : NaN;
    offsets[n] = offset;
    offset += lines[n]!.length;
    lengths[n]!.forEach((length, field) => {
      lengthColumn[n * 3 + field] = length;
      totals[field]! += length;
    });
  });
  offsets[count] = offset;
  const docBytes = new Uint8Array(offset);
  lines.forEach((line, n) => docBytes.set(line, offsets[n]!));
  let first = 0;
  const files = input.files.map(({ path, size, mtimeMs, count: runLength }): BaseHeader['files'][number] => {
    first += runLength;
    return [path, size, mtimeMs, first - runLength, runLength];
  });
  const out = new Map<string, Uint8Array>([
    ['terms', new Uint8Array(table.buffer)],
    ['vocabulary', encoder.encode(vocabulary.join(''))],
    ['postings', new Uint8Array(all.buffer)],
    ['columns', columns],
    ['docs', docBytes],
  ]);
  return { header: { version, stamp, count, totals, files }, files: out };
}

function uint32(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Uint32Array(bytes.slice().buffer);
}

/** Sorted terms to search by position: an array, or the vocabulary read in place. */
export interface Terms {
  readonly length: number;
  at(index: number): string | undefined;
}

/**
 * The base's vocabulary read in place: the terms run together in one string, each one's start in
 * the term table, so a query that looks up a few terms never makes a string of each of a hundred thousand.
 */
class SortedTerms implements Terms {
  readonly length: number;

  constructor(
    private readonly text: string,
    private readonly table: Uint32Array,
  ) {
    this.length = table.length / TERM_ROW;
  }

  at(index: number): string | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const end = index + 1 < this.length ? this.table[(index + 1) * TERM_ROW + 4]! : this.text.length;
    return this.text.slice(this.table[index * TERM_ROW + 4]!, end);
  }
}

/** The first place in sorted `list` whose item is not below `item`. */
export function lowerBound(list: Terms, item: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list.at(mid)! < item) low = mid + 1;
    else high = mid;
  }
  return low;
}
