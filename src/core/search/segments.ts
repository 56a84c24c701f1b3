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
  /** Every term, sorted, one per line: the n-th line's postings are the n-th in the term table. */
  vocabulary: string;
  /** Documents per stored block of results. */
  block: number;
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

const DOCS_PER_BLOCK = 512;

/**
 * The saved base: the term table and postings in binary, each document's time and field lengths in
 * binary, the stored fields in JSON blocks. A query reads the header, the vocabulary and the rows
 * of the terms it asks for, and the blocks of the documents it returns: never the whole index.
 */
export class BaseSegment {
  readonly vocabulary: SortedTerms;
  /** Each file's row in the header. */
  private readonly rows = new Map<string, number>();
  private table: Promise<Uint32Array> | undefined;
  private columns: Promise<{ times: Float64Array; lengths: Uint32Array }> | undefined;
  private readonly blocks = new Map<number, Promise<StoredDoc[]>>();

  constructor(
    readonly header: BaseHeader,
    private readonly io: BaseFiles,
  ) {
    this.vocabulary = new SortedTerms(header.vocabulary);
    header.files.forEach((file, row) => this.rows.set(file[0], row));
  }

  get count(): number {
    return this.header.count;
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
    const table = await this.termTable();
    const pairs = table[row * 4 + 1]! + table[row * 4 + 2]! + table[row * 4 + 3]!;
    const bytes = await this.io.readRange('postings', table[row * 4]! * 4, pairs * 8);
    if (bytes.length !== pairs * 8) throw new IndexFault('the postings file is shorter than its term table says');
    return split(uint32(bytes), table, row);
  }

  /** Every term's postings, from one read of the whole file: what a merge into a new base goes through. */
  async allPostings(): Promise<(row: number) => Postings> {
    const table = await this.termTable();
    const all = uint32(await this.io.read('postings'));
    return (row) => {
      const start = table[row * 4]!;
      const end = start + (table[row * 4 + 1]! + table[row * 4 + 2]! + table[row * 4 + 3]!) * 2;
      if (end > all.length) throw new IndexFault('the postings file is shorter than its term table says');
      return split(all.subarray(start, end), table, row);
    };
  }

  async times(): Promise<Float64Array> {
    return (await this.docColumns()).times;
  }

  async lengths(): Promise<Uint32Array> {
    return (await this.docColumns()).lengths;
  }

  /** Documents `first` to `first + count - 1`, each block read once. */
  async docsIn(first: number, count: number): Promise<StoredDoc[]> {
    const docs: StoredDoc[] = [];
    for (let n = first; n < first + count;) {
      const block = await this.block(Math.floor(n / this.header.block));
      const end = Math.min(first + count, (Math.floor(n / this.header.block) + 1) * this.header.block);
      for (; n < end; n++) {
        const doc = block[n % this.header.block];
        if (!doc) throw new IndexFault(`document ${n} is missing from its block`);
        docs.push(doc);
      }
    }
    return docs;
  }

  async doc(n: number): Promise<StoredDoc> {
    const doc = (await this.block(Math.floor(n / this.header.block)))[n % this.header.block];
    if (!doc) throw new IndexFault(`document ${n} is missing from its block`);
    return doc;
  }

  private block(block: number): Promise<StoredDoc[]> {
    let docs = this.blocks.get(block);
    if (!docs) {
      docs = this.io.read(`docs-${block}.json`).then((bytes) => {
        try {
          return JSON.parse(new TextDecoder().decode(bytes)) as StoredDoc[];
        } catch (error) {
          throw new IndexFault(`block ${block} of the documents is garbled`, error);
        }
      });
      this.blocks.set(block, docs);
      docs.catch(() => this.blocks.delete(block));
    }
    return docs;
  }

  private termTable(): Promise<Uint32Array> {
    return (this.table ??= this.io.read('terms').then((bytes) => {
      if (bytes.length !== this.vocabulary.length * 16) throw new IndexFault('the term table does not match the vocabulary');
      return uint32(bytes);
    }));
  }

  private docColumns(): Promise<{ times: Float64Array; lengths: Uint32Array }> {
    return (this.columns ??= this.io.read('columns').then((bytes) => {
      const count = this.header.count;
      if (bytes.length !== count * 20) throw new IndexFault('the document columns do not match the header');
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      return { times: new Float64Array(copy.buffer, 0, count), lengths: new Uint32Array(copy.buffer, count * 8, count * 3) };
    }));
  }
}

/** The files of a base, by name: the header last, the rest named after the header's stamp. */
export function encodeBase(stamp: string, version: number, input: BaseInput): { header: BaseHeader; files: Map<string, Uint8Array> } {
  const { docs, lengths, postings } = input;
  const vocabulary = [...postings.keys()].sort();
  const table = new Uint32Array(vocabulary.length * 4);
  let pairs = 0;
  for (const lists of postings.values()) pairs += (lists[0]!.length + lists[1]!.length + lists[2]!.length) / 2;
  const all = new Uint32Array(pairs * 2);
  let at = 0;
  vocabulary.forEach((term, row) => {
    const lists = postings.get(term)!;
    table[row * 4] = at;
    for (let field = 0; field < FIELDS.length; field++) {
      const list = lists[field]!;
      table[row * 4 + 1 + field] = list.length / 2;
      all.set(list, at);
      at += list.length;
    }
  });
  const columns = new Uint8Array(docs.length * 20);
  const times = new Float64Array(columns.buffer, 0, docs.length);
  const lengthColumn = new Uint32Array(columns.buffer, docs.length * 8, docs.length * 3);
  const totals: FieldCounts = [0, 0, 0];
  docs.forEach((doc, n) => {
    times[n] = doc.time ? Date.parse(doc.time) : NaN;
    lengths[n]!.forEach((length, field) => {
      lengthColumn[n * 3 + field] = length;
      totals[field]! += length;
    });
  });
  let first = 0;
  const files = input.files.map(({ path, size, mtimeMs, count }): BaseHeader['files'][number] => {
    first += count;
    return [path, size, mtimeMs, first - count, count];
  });
  const out = new Map<string, Uint8Array>([
    ['terms', new Uint8Array(table.buffer)],
    ['postings', new Uint8Array(all.buffer)],
    ['columns', columns],
  ]);
  const encoder = new TextEncoder();
  for (let block = 0; block * DOCS_PER_BLOCK < docs.length; block++) {
    out.set(`docs-${block}.json`, encoder.encode(JSON.stringify(docs.slice(block * DOCS_PER_BLOCK, (block + 1) * DOCS_PER_BLOCK))));
  }
  const header: BaseHeader = { version, stamp, count: docs.length, totals, files, vocabulary: vocabulary.join('\n'), block: DOCS_PER_BLOCK };
  return { header, files: out };
}

/** A term's run of pairs, cut into its fields' lists as the term table counts them. */
function split(pairs: Uint32Array, table: Uint32Array, row: number): Postings {
  const first = table[row * 4 + 1]! * 2;
  const second = first + table[row * 4 + 2]! * 2;
  return [pairs.subarray(0, first), pairs.subarray(first, second), pairs.subarray(second)];
}

function uint32(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Uint32Array(bytes.slice().buffer);
}

/** Sorted terms to search by position: an array, or the vocabulary's lines read in place. */
export interface Terms {
  readonly length: number;
  at(index: number): string | undefined;
}

/**
 * The base's vocabulary, one term per line, read in place: only where each line starts is noted,
 * so a query that looks up a few terms never makes a string of each of a hundred thousand.
 */
class SortedTerms implements Terms {
  private readonly starts: Uint32Array;
  readonly length: number;

  constructor(private readonly text: string) {
    const starts = [0];
    if (text !== '') for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    this.length = text === '' ? 0 : starts.length;
    starts.push(text.length + 1);
    this.starts = Uint32Array.from(starts);
  }

  at(index: number): string | undefined {
    return index >= 0 && index < this.length ? this.text.slice(this.starts[index]!, this.starts[index + 1]! - 1) : undefined;
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
