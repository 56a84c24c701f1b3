import * as path from 'node:path';
import { isInside, kbRelative, resolveInKb } from '../context/paths';
import { describeError } from '../errors';
import type { Deps, FolderCache, FolderListing, TreeFile } from '../ports';
import { readCommitted } from '../storage/entryFile';
import { onFileWritten } from '../storage/written';
import { listMarkdownFiles, SKIPPED_FOLDERS } from '../usecases/readEntries';
import { documentsOf, type SearchDoc } from './documents';
import { INDEX_VERSION, SearchIndex, type SavedChanges } from './engine';
import { BaseSegment, encodeBase, IndexFault, type BaseFiles, type BaseHeader } from './segments';

/** Inside the knowledge base, ignored by git (`init` writes the .gitignore line), never a session entry (a hidden folder). */
const INDEX_FOLDER = '.sessionlog/search';
const HEADER_FILE = 'base.json';
const CHANGES_FILE = 'changes.json';
/** The folders' listings that a check of every file reuses (see FolderCache): independent of the base, kept while their folders are unchanged. */
const FOLDERS_FILE = 'folders.json';
const FOLDERS_VERSION = 1;

type IndexDeps = Pick<Deps, 'fs' | 'logger'>;

interface Open {
  deps: IndexDeps;
  index: Promise<SearchIndex>;
  /** Every step on the index runs after the one before: a refresh never interleaves with another. */
  queue: Promise<unknown>;
  /** The stamp of the base on disk when the index was last read or saved. */
  seen?: string;
  watch?: Watch;
  /** Read from folders.json at the first check of every file. */
  folders?: FolderListings;
}

/** What the file system reported changed since the last refresh, in a process that keeps watching. */
interface Watch {
  changed: Set<string>;
  /** Changes may have gone unreported: every file is checked again. */
  lost: boolean;
  /** A whole refresh has run since the watch began (what the reported changes are relative to). */
  scanned: boolean;
  stop(): void;
}

let watching = false;

/**
 * For processes that live on (the editor, the MCP server): each knowledge base searched is watched
 * from then on, so a query re-checks only the files reported changed instead of every file, as
 * git's file system monitor does. Where the file system cannot watch, or a watch fails, queries go
 * back to checking every file.
 */
export function watchSearchedKnowledgeBases(): void {
  watching = true;
}

/** One index per knowledge base and process, kept while the process lives (the editor, the MCP server). */
const open = new Map<string, Open>();
let listening = false;

/**
 * Runs `work` on the knowledge base's index once it is up to date: loaded from disk (or rebuilt
 * when missing, unreadable or of another version), every file's size and time compared with what
 * was indexed and only changed files read again, the changes saved. The index never makes a query
 * fail: a fault in it is logged, and the query runs again on an index rebuilt from the files.
 */
export async function withFreshIndex<T>(deps: IndexDeps, kbRoot: string, work: (index: SearchIndex) => Promise<T>): Promise<T> {
  const entry = openIndex(deps, kbRoot);
  return enqueue(entry, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(await freshIndex(entry, kbRoot));
      } catch (error) {
        if (!(error instanceof IndexFault) || attempt === 3) throw error;
        // Another process may have replaced the base under us: read the one on disk first, and
        // only if that fails too, rebuild from the files.
        entry.deps.logger.info(`${error.message} in ${kbRoot}; ${attempt === 1 ? 'reading it again' : 'rebuilding it from the knowledge base'}.`);
        if (attempt === 1) entry.seen = undefined;
        else entry.index = Promise.resolve(new SearchIndex());
      }
    }
  });
}

async function freshIndex(entry: Open, kbRoot: string): Promise<SearchIndex> {
  // Another process wrote a new base: ours may lose its parts, and the new one holds its changes.
  const onDisk = await headerStamp(entry.deps, kbRoot);
  if (onDisk !== entry.seen) {
    entry.seen = onDisk;
    entry.index = load(entry.deps, kbRoot);
    // Changes already taken in before are not in that base: every file is checked against it.
    if (entry.watch) entry.watch.scanned = false;
  }
  const index = await entry.index;
  await refreshWatched(entry, kbRoot, index);
  const saved = await save(entry.deps, kbRoot, index);
  if (saved !== index) {
    entry.index = Promise.resolve(saved);
    entry.seen = saved.stamp;
  }
  return saved;
}

/** Resolves once the index of `kbRoot` has taken in every write reported so far (what a benchmark or test waits for). */
export async function indexSettled(kbRoot: string): Promise<void> {
  await open.get(kbRoot)?.queue;
}

/** Forgets the process's index of every knowledge base (tests, and a process that wants memory back). */
export function closeIndexes(): void {
  for (const entry of open.values()) entry.watch?.stop();
  open.clear();
}

function openIndex(deps: IndexDeps, kbRoot: string): Open {
  let entry = open.get(kbRoot);
  if (!entry) {
    entry = { deps, index: Promise.resolve(new SearchIndex()), queue: Promise.resolve() };
    open.set(kbRoot, entry);
  }
  entry.deps = deps;
  if (!listening) {
    listening = true;
    onFileWritten(followWrite);
  }
  return entry;
}

function enqueue<T>(entry: Open, step: () => Promise<T>): Promise<T> {
  const run = entry.queue.then(step, step);
  entry.queue = run.catch(() => undefined);
  return run;
}

/** A write of ours: the open index of its knowledge base takes the file in at once, off the writer's path. */
function followWrite(file: string): void {
  for (const [kbRoot, entry] of open) {
    if (!isInside(kbRoot, file) || !file.endsWith('.md')) continue;
    void enqueue(entry, async () => {
      const index = await entry.index;
      await refreshPath(entry.deps, kbRoot, index, file);
    }).catch((error: unknown) => entry.deps.logger.warn(`search index: could not take in ${file}: ${describeError(error)}`));
  }
}

/** The stamp of the base on disk, read from the start of its header (where JSON.stringify puts it). */
async function headerStamp(deps: IndexDeps, kbRoot: string): Promise<string> {
  const head = new TextDecoder().decode(await deps.fs.readRange(path.posix.join(kbRoot, INDEX_FOLDER, HEADER_FILE), 0, 80));
  return /^\{"version":\d+,"stamp":"([^"]*)"/.exec(head)?.[1] ?? '';
}

/** The saved base and its changes; an empty index when there is none or it cannot be read. */
async function load(deps: IndexDeps, kbRoot: string): Promise<SearchIndex> {
  const dir = path.posix.join(kbRoot, INDEX_FOLDER);
  let index: SearchIndex;
  try {
    const text = await deps.fs.readText(path.posix.join(dir, HEADER_FILE));
    const header = text === undefined ? undefined : (JSON.parse(text) as BaseHeader);
    if (!isHeader(header)) return new SearchIndex();
    index = new SearchIndex(await BaseSegment.open(header, baseFiles(deps, dir, header.stamp)));
  } catch (error) {
    deps.logger.info(`search index in ${dir} is unreadable (${describeError(error)}); rebuilding it from the knowledge base.`);
    return new SearchIndex();
  }
  try {
    const text = await deps.fs.readText(path.posix.join(dir, CHANGES_FILE));
    const changes = text === undefined ? undefined : (JSON.parse(text) as SavedChanges);
    if (changes?.version === INDEX_VERSION && changes.base === index.stamp) index.applyChanges(changes);
  } catch (error) {
    // The base still stands; what the changes held is found stale by the refresh and read again.
    deps.logger.info(`search index changes in ${dir} are unreadable (${describeError(error)}); re-reading what changed.`);
  }
  return index;
}

function isHeader(value: unknown): value is BaseHeader {
  const header = value as Partial<BaseHeader> | undefined;
  return (
    header?.version === INDEX_VERSION &&
    typeof header.stamp === 'string' &&
    typeof header.count === 'number' &&
    Array.isArray(header.totals) &&
    Array.isArray(header.files) &&
    header.files.every((file) => Array.isArray(file) && typeof file[0] === 'string' && file.slice(1).every((n) => typeof n === 'number'))
  );
}

/** A base's parts on disk, named after its stamp; a part missing or cut short is an IndexFault. */
function baseFiles(deps: IndexDeps, dir: string, stamp: string): BaseFiles {
  const file = (name: string) => path.posix.join(dir, `${stamp}.${name}`);
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw error instanceof IndexFault ? error : new IndexFault('a part of it cannot be read', error);
    }
  };
  return {
    read: (name) =>
      guarded(async () => {
        const stat = await deps.fs.stat(file(name));
        if (!stat?.isFile) throw new IndexFault(`${stamp}.${name} is missing`);
        return deps.fs.readRange(file(name), 0, stat.size);
      }),
    readRange: (name, start, length) => guarded(() => deps.fs.readRange(file(name), start, length)),
  };
}

/** Checks the files the watch reported changed, or every file when there is no sound watch. */
async function refreshWatched(entry: Open, kbRoot: string, index: SearchIndex): Promise<void> {
  const { deps } = entry;
  if (watching && deps.fs.watchTree && !entry.watch) entry.watch = startWatch(deps, kbRoot);
  const watch = entry.watch;
  if (!watch || watch.lost || !watch.scanned) {
    watch?.changed.clear();
    entry.folders ??= await loadFolders(deps, kbRoot);
    await refresh(deps, kbRoot, index, entry.folders);
    entry.folders.forgetUnvisited();
    await saveFolders(deps, kbRoot, entry.folders);
    if (watch && !watch.lost) watch.scanned = true;
    return;
  }
  // A write another process finished before this query began is reported by now, once the event loop has polled.
  await new Promise((resolve) => setImmediate(resolve));
  const changed = [...watch.changed];
  watch.changed.clear();
  for (const file of changed) await refreshPath(deps, kbRoot, index, file);
}

function startWatch(deps: IndexDeps, kbRoot: string): Watch {
  const watch: Watch = { changed: new Set(), lost: false, scanned: false, stop: () => undefined };
  watch.stop = deps.fs.watchTree!(
    kbRoot,
    isEntered,
    (file) => watch.changed.add(file),
    (error) => {
      watch.lost = true;
      deps.logger.info(`search: ${kbRoot} can no longer be watched (${describeError(error)}); every file is checked before each query.`);
    },
  );
  return watch;
}

/** A file or folder written or reported changed: re-read, taken out, or (a folder) every file in it checked. */
async function refreshPath(deps: IndexDeps, kbRoot: string, index: SearchIndex, file: string): Promise<void> {
  const relative = kbRelative(kbRoot, file);
  // Hidden and skipped folders (the index's own among them) hold nothing to search.
  if (relative.split('/').some((part) => !isEntered(part))) return;
  const stat = await deps.fs.stat(file);
  if (stat?.isFile) {
    if (file.endsWith('.md') && !index.isCurrent(relative, stat.size, stat.mtimeMs)) {
      await index.setFile(relative, stat, await readDocuments(deps, relative, file));
    }
    return;
  }
  if (index.mark(relative)) await index.removeFile(relative);
  const inside = index.paths().filter((known) => known.startsWith(`${relative}/`));
  if (!stat?.isDirectory) {
    for (const known of inside) await index.removeFile(known);
    return;
  }
  const found = new Set<string>();
  for (const each of await markdownTree(deps, file)) {
    const name = kbRelative(kbRoot, each.path);
    found.add(name);
    if (!index.isCurrent(name, each.size, each.mtimeMs)) await index.setFile(name, each, await readDocuments(deps, name, each.path));
  }
  for (const known of inside) if (!found.has(known)) await index.removeFile(known);
}

function isEntered(name: string): boolean {
  return !name.startsWith('.') && !SKIPPED_FOLDERS.has(name);
}

/** A folder's listing as folders.json keeps it: its time, then its files' and its folders' names each joined by '/' (which no name holds). */
type SavedListing = [mtimeMs: number, files: string, folders: string];

/** The folder listings of one knowledge base, by path relative to its root, as folders.json keeps them. */
class FolderListings implements FolderCache {
  /** Changed since read or saved. */
  dirty = false;
  private readonly key: (folder: string) => string;

  constructor(
    kbRoot: string,
    private readonly listings = new Map<string, SavedListing>(),
  ) {
    this.key = relativeTo(kbRoot);
  }

  /** Folders asked about since the last `forgetUnvisited`. */
  private readonly visited = new Set<string>();

  get(folder: string): FolderListing | undefined {
    const key = this.key(folder);
    this.visited.add(key);
    const saved = this.listings.get(key);
    return saved && { mtimeMs: saved[0], files: names(saved[1]), folders: names(saved[2]) };
  }

  set(folder: string, listing: FolderListing | undefined): void {
    const key = this.key(folder);
    if (listing) this.listings.set(key, [listing.mtimeMs, listing.files.join('/'), listing.folders.join('/')]);
    else if (!this.listings.delete(key)) return;
    this.dirty = true;
  }

  /** After a walk of the whole tree: the listings of folders it did not reach (gone, or now inside a hidden one) go. */
  forgetUnvisited(): void {
    for (const key of this.listings.keys()) {
      if (!this.visited.has(key)) {
        this.listings.delete(key);
        this.dirty = true;
      }
    }
    this.visited.clear();
  }

  toJSON(): { version: number; folders: Record<string, SavedListing> } {
    return { version: FOLDERS_VERSION, folders: Object.fromEntries(this.listings) };
  }
}

/** Paths under `kbRoot` made relative to it: a slice for the thousands a check of every file meets, path.relative otherwise. */
function relativeTo(kbRoot: string): (target: string) => string {
  const prefix = `${kbRoot.replace(/\/+$/, '')}/`;
  return (target) => (target.startsWith(prefix) ? target.slice(prefix.length) : kbRelative(kbRoot, target));
}

function names(joined: string): string[] {
  return joined === '' ? [] : joined.split('/');
}

/** The listings folders.json holds; none when it is missing, unreadable or of another version (every folder is read then). */
async function loadFolders(deps: IndexDeps, kbRoot: string): Promise<FolderListings> {
  try {
    const text = await deps.fs.readText(path.posix.join(kbRoot, INDEX_FOLDER, FOLDERS_FILE));
    const saved = text === undefined ? undefined : (JSON.parse(text) as { version?: unknown; folders?: Record<string, unknown> });
    if (saved?.version !== FOLDERS_VERSION || typeof saved.folders !== 'object' || saved.folders === null) return new FolderListings(kbRoot);
    const listings = new Map(Object.entries(saved.folders));
    for (const value of listings.values()) if (!isSavedListing(value)) return new FolderListings(kbRoot);
    return new FolderListings(kbRoot, listings as Map<string, SavedListing>);
  } catch (error) {
    deps.logger.info(`search: the folder listings in ${kbRoot} are unreadable (${describeError(error)}); every folder is read again.`);
    return new FolderListings(kbRoot);
  }
}

function isSavedListing(value: unknown): value is SavedListing {
  return Array.isArray(value) && value.length === 3 && typeof value[0] === 'number' && typeof value[1] === 'string' && typeof value[2] === 'string';
}

async function saveFolders(deps: IndexDeps, kbRoot: string, folders: FolderListings): Promise<void> {
  if (!folders.dirty) return;
  try {
    const dir = await resolveInKb(deps.fs, kbRoot, INDEX_FOLDER, 'the search index folder');
    await deps.fs.mkdirp(dir);
    await deps.fs.writeAtomic(path.posix.join(dir, FOLDERS_FILE), JSON.stringify(folders));
    folders.dirty = false;
  } catch (error) {
    deps.logger.warn(`search: folder listings not saved in ${kbRoot}: ${describeError(error)}`);
  }
}

/** Compares every Markdown file's size and time with the index and re-reads those that differ, as git's index does. */
async function refresh(deps: IndexDeps, kbRoot: string, index: SearchIndex, folders: FolderCache): Promise<void> {
  const relativeOf = relativeTo(kbRoot);
  const found: string[] = [];
  const stale: (TreeFile & { relative: string })[] = [];
  // Files found as indexed, or indexed before: when they are all the index covers, none is gone.
  let known = 0;
  for (const file of await markdownTree(deps, kbRoot, folders)) {
    const relative = relativeOf(file.path);
    found.push(relative);
    if (index.isCurrent(relative, file.size, file.mtimeMs)) known++;
    else {
      if (index.mark(relative)) known++;
      stale.push({ ...file, relative });
    }
  }
  const seen = known === index.fileCount ? undefined : new Set(found);
  const gone = seen ? index.paths().filter((relative) => !seen.has(relative)) : [];
  // In path order, so a rebuild's documents are already in the order a base keeps them.
  stale.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  // A few at a time: a rebuild reads every file, and reading them all at once would hold them all in memory.
  for (let at = 0; at < stale.length; at += 64) {
    const batch = stale.slice(at, at + 64);
    const read = await Promise.all(batch.map((file) => readDocuments(deps, file.relative, file.path)));
    for (let i = 0; i < batch.length; i++) await index.setFile(batch[i]!.relative, batch[i]!, read[i]!);
  }
  for (const relative of gone) await index.removeFile(relative);
}

/** Every Markdown file under `dir` with its size and time: in one pass where the file system offers it. */
async function markdownTree(deps: IndexDeps, dir: string, folders?: FolderCache): Promise<TreeFile[]> {
  if (deps.fs.listTree) return deps.fs.listTree(dir, isEntered, (name) => name.endsWith('.md'), folders);
  const files = await listMarkdownFiles(deps, dir);
  const stats = await Promise.all(files.map((file) => deps.fs.stat(file)));
  return files.flatMap((file, i) => {
    const stat = stats[i];
    return stat?.isFile ? [{ path: file, size: stat.size, mtimeMs: stat.mtimeMs }] : [];
  });
}

/** The file's documents, read through the shared reader (a crashed writer's half section left out); none when it cannot be read. */
async function readDocuments(deps: IndexDeps, relative: string, file: string): Promise<SearchDoc[]> {
  try {
    const text = await readCommitted(deps, file);
    return text === undefined ? [] : documentsOf(relative, text);
  } catch (error) {
    deps.logger.warn(`search: skipped ${relative}: ${describeError(error)}`);
    return [];
  }
}

/**
 * Saves what changed: a small changes file beside the base while the changes are few; once they
 * are many, a new base (its parts first, under a new stamp, then its header) that the returned
 * index reads from. Every file is replaced atomically, so a reader sees the old base or the new
 * one; two processes saving at once leave one's version, and whatever the other had read is found
 * stale by the next refresh and read again. The base before the last is deleted.
 */
async function save(deps: IndexDeps, kbRoot: string, index: SearchIndex): Promise<SearchIndex> {
  if (!index.dirty) return index;
  try {
    const dir = await resolveInKb(deps.fs, kbRoot, INDEX_FOLDER, 'the search index folder');
    await deps.fs.mkdirp(dir);
    index.dirty = false;
    if (index.base && index.changedDocuments <= Math.max(1_000, index.documentCount / 20) && !index.memory.wasteful) {
      await deps.fs.writeAtomic(path.posix.join(dir, CHANGES_FILE), JSON.stringify(index.changesToSave()));
      return index;
    }
    const stamp = newStamp();
    const { header, files } = encodeBase(stamp, INDEX_VERSION, await index.toBaseInput());
    for (const [name, bytes] of files) await deps.fs.writeAtomic(path.posix.join(dir, `${stamp}.${name}`), bytes);
    await deps.fs.writeAtomic(path.posix.join(dir, HEADER_FILE), JSON.stringify(header));
    await removeOldBases(deps, dir, [stamp, index.stamp]);
    return new SearchIndex(BaseSegment.written(header, baseFiles(deps, dir, stamp), files));
  } catch (error) {
    if (error instanceof IndexFault) throw error;
    // A read-only knowledge base, or a link leading out of it: searching goes on from memory.
    deps.logger.warn(`search index not saved in ${kbRoot}: ${describeError(error)}`);
    return index;
  }
}

/**
 * Parts of bases other than `keep` and more than a minute old (a process that read an older header
 * a moment ago still finds its parts), the changes of the base replaced, the index of earlier versions.
 */
async function removeOldBases(deps: IndexDeps, dir: string, keep: string[]): Promise<void> {
  for (const { name } of await deps.fs.list(dir)) {
    const stamp = /^([0-9a-z]+)-[0-9a-z]+\.(?:terms|vocabulary|postings|columns|docs|docs-\d+\.json)$/.exec(name);
    const old = stamp !== null && !keep.some((kept) => name.startsWith(`${kept}.`)) && Date.now() - parseInt(stamp[1]!, 36) > 60_000;
    if (old || name === CHANGES_FILE || name === 'index.json') {
      await deps.fs.remove(path.posix.join(dir, name));
    }
  }
}

function newStamp(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
