import * as path from 'node:path';
import { isInside, kbRelative, resolveInKb } from '../context/paths';
import { describeError } from '../errors';
import type { Deps } from '../ports';
import { readCommitted } from '../storage/entryFile';
import { onFileWritten } from '../storage/written';
import { listMarkdownFiles } from '../usecases/readEntries';
import { documentsOf, type SearchDoc } from './documents';
import { INDEX_VERSION, SearchIndex, type FileMark, type SavedBase } from './engine';

/** Inside the knowledge base, ignored by git (`init` writes the .gitignore line), never a session entry (a hidden folder). */
export const INDEX_FOLDER = '.sessionlog/search';
const BASE_FILE = 'index.json';
const CHANGES_FILE = 'changes.json';

interface SavedChanges {
  version: number;
  base: string;
  files: Record<string, { mark: FileMark; docs: SearchDoc[] } | null>;
}

type IndexDeps = Pick<Deps, 'fs' | 'logger'>;

interface Open {
  deps: IndexDeps;
  index: Promise<SearchIndex>;
  /** Every step on the index runs after the one before: a refresh never interleaves with another. */
  queue: Promise<unknown>;
  /** Whether the base on disk is this index's (loaded from or saved to it). */
  hasBase: boolean;
}

/** One index per knowledge base and process, kept while the process lives (the editor, the MCP server). */
const open = new Map<string, Open>();
let listening = false;

/**
 * Runs `work` on the knowledge base's index once it is up to date: loaded from disk (or rebuilt
 * when missing, unreadable or of another version), every file's size and time compared with what
 * was indexed and only changed files read again, the changes saved. The index never makes a query
 * fail: any fault in it is logged and the index is rebuilt from the files.
 */
export async function withFreshIndex<T>(deps: IndexDeps, kbRoot: string, work: (index: SearchIndex) => T): Promise<T> {
  const entry = openIndex(deps, kbRoot);
  return enqueue(entry, async () => {
    const index = await entry.index;
    await refresh(entry.deps, kbRoot, index);
    await save(entry, kbRoot, index);
    return work(index);
  });
}

/** Resolves once the index of `kbRoot` has taken in every write reported so far (what a benchmark or test waits for). */
export async function indexSettled(kbRoot: string): Promise<void> {
  await open.get(kbRoot)?.queue;
}

/** Forgets the process's index of every knowledge base (tests, and a process that wants memory back). */
export function closeIndexes(): void {
  open.clear();
}

function openIndex(deps: IndexDeps, kbRoot: string): Open {
  let entry = open.get(kbRoot);
  if (!entry) {
    const created: Open = { deps, index: Promise.resolve(undefined as never), queue: Promise.resolve(), hasBase: false };
    created.index = load(deps, kbRoot).then(({ index, fromDisk }) => {
      created.hasBase = fromDisk;
      return index;
    });
    entry = created;
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
      await refreshFile(entry.deps, kbRoot, index, file);
    }).catch((error: unknown) => entry.deps.logger.warn(`search index: could not take in ${file}: ${describeError(error)}`));
  }
}

async function load(deps: IndexDeps, kbRoot: string): Promise<{ index: SearchIndex; fromDisk: boolean }> {
  const dir = path.posix.join(kbRoot, INDEX_FOLDER);
  let index: SearchIndex | undefined;
  try {
    const text = await deps.fs.readText(path.posix.join(dir, BASE_FILE));
    if (text !== undefined) {
      const saved = JSON.parse(text) as SavedBase;
      if (saved.version === INDEX_VERSION) index = SearchIndex.fromSaved(saved);
    }
  } catch (error) {
    deps.logger.info(`search index in ${dir} is unreadable (${describeError(error)}); rebuilding it from the knowledge base.`);
  }
  if (!index) return { index: SearchIndex.empty(newStamp()), fromDisk: false };
  try {
    const text = await deps.fs.readText(path.posix.join(dir, CHANGES_FILE));
    const changes = text === undefined ? undefined : (JSON.parse(text) as SavedChanges);
    if (changes?.version === INDEX_VERSION && changes.base === index.stamp) {
      for (const [file, change] of Object.entries(changes.files)) {
        if (change) index.setFile(file, change.mark, change.docs);
        else index.removeFile(file);
      }
    }
  } catch (error) {
    // The base still stands; what the changes held is found stale by the refresh and read again.
    deps.logger.info(`search index changes in ${dir} are unreadable (${describeError(error)}); re-reading what changed.`);
  }
  index.dirty = false;
  return { index, fromDisk: true };
}

/** Compares every Markdown file's size and time with the index and re-reads those that differ, as git's index does. */
async function refresh(deps: IndexDeps, kbRoot: string, index: SearchIndex): Promise<void> {
  const files = await listMarkdownFiles(deps, kbRoot);
  const seen = new Set<string>();
  await Promise.all(
    files.map(async (file) => {
      const relative = kbRelative(kbRoot, file);
      seen.add(relative);
      const stat = await deps.fs.stat(file);
      if (!stat?.isFile || index.isCurrent(relative, stat.size, stat.mtimeMs)) return;
      index.setFile(relative, stat, await readDocuments(deps, relative, file));
    }),
  );
  for (const relative of [...index.files.keys()]) if (!seen.has(relative)) index.removeFile(relative);
}

async function refreshFile(deps: IndexDeps, kbRoot: string, index: SearchIndex, file: string): Promise<void> {
  const relative = kbRelative(kbRoot, file);
  const stat = await deps.fs.stat(file);
  if (!stat?.isFile) index.removeFile(relative);
  else if (!index.isCurrent(relative, stat.size, stat.mtimeMs)) index.setFile(relative, stat, await readDocuments(deps, relative, file));
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
 * Saves what changed: a small changes file beside the base while the changes are few, the whole
 * base again once they are many. Both are replaced atomically, so a reader sees the old file or
 * the new one; two processes saving at once leave one's version, and whatever the other had read
 * is found stale by the next refresh and read again.
 */
async function save(entry: Open, kbRoot: string, index: SearchIndex): Promise<void> {
  if (!index.dirty) return;
  const { deps } = entry;
  try {
    const dir = await resolveInKb(deps.fs, kbRoot, INDEX_FOLDER, 'the search index folder');
    await deps.fs.mkdirp(dir);
    index.dirty = false;
    if (!entry.hasBase || index.changedDocuments > Math.max(2_000, index.documentCount / 10)) {
      await deps.fs.writeAtomic(path.posix.join(dir, BASE_FILE), JSON.stringify(await index.toSaved(newStamp())));
      entry.hasBase = true;
      return;
    }
    const changes: SavedChanges = { version: INDEX_VERSION, base: index.stamp, files: Object.fromEntries(index.changed) };
    await deps.fs.writeAtomic(path.posix.join(dir, CHANGES_FILE), JSON.stringify(changes));
  } catch (error) {
    // A read-only knowledge base, or a link leading out of it: searching goes on from memory.
    deps.logger.warn(`search index not saved in ${kbRoot}: ${describeError(error)}`);
  }
}

function newStamp(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
