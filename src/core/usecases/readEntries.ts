import * as path from 'node:path';
import { resolveInKb, kbRelative } from '../context/paths';
import { loadWorkspace, resolveEntry, type ResolvedEntry, type WorkspaceOptions } from '../context/resolve';
import { describeError, SessionLogError } from '../errors';
import { indexEntry, type EntryIndex } from '../format/parse';
import type { Entry } from '../model/session';
import type { Deps } from '../ports';
import { readCommitted } from '../storage/entryFile';

export interface LoadedEntry {
  /** Relative to the knowledge-base root. */
  path: string;
  absolutePath: string;
  text: string;
  /** The sections, read on demand: what a page or a filter needs. */
  index: EntryIndex;
  /** Every session, read on first use. */
  readonly entry: Entry;
}

/** Parsed entries by path, reused while the file's size and time are unchanged (long-lived front ends). */
export class EntryCache {
  private readonly entries = new Map<string, { key: string; loaded: LoadedEntry }>();

  async load(deps: Pick<Deps, 'fs'>, kbRoot: string, absolutePath: string): Promise<LoadedEntry | undefined> {
    const stat = await deps.fs.stat(absolutePath);
    if (!stat?.isFile) return undefined;
    const key = `${stat.size}:${stat.mtimeMs}`;
    const cached = this.entries.get(absolutePath);
    if (cached?.key === key) return cached.loaded;
    const text = await readCommitted(deps, absolutePath);
    if (text === undefined) return undefined;
    const loaded = loadedEntry(kbRelative(kbRoot, absolutePath), absolutePath, text);
    // A read during a write leaves the writer's bytes out (readCommitted). Kept, it would outlive the
    // write, whose end leaves the entry's size and time as they are: only the whole file is kept.
    if (new TextEncoder().encode(text).length === stat.size) this.entries.set(absolutePath, { key, loaded });
    return loaded;
  }
}

function loadedEntry(relative: string, absolutePath: string, text: string): LoadedEntry {
  const index = indexEntry(text, absolutePath);
  let entry: Entry | undefined;
  return {
    path: relative,
    absolutePath,
    text,
    index,
    get entry() {
      return (entry ??= {
        frontmatter: index.frontmatter,
        preamble: index.preamble,
        sessions: Array.from({ length: index.count }, (_, i) => index.session(i)),
      });
    },
  };
}

/** `sessionlog get PATH`: one entry of the knowledge base, read and parsed. */
export async function getEntry(deps: Deps, relative: string, options: WorkspaceOptions = {}): Promise<LoadedEntry> {
  const workspace = await loadWorkspace(deps, options);
  const absolutePath = await resolveInKb(deps.fs, workspace.kbRoot, relative, 'PATH');
  const loaded = await new EntryCache().load(deps, workspace.kbRoot, absolutePath);
  if (!loaded) {
    throw new SessionLogError(
      'entry_not_found',
      `No entry at ${relative} in the knowledge base ${workspace.kbRoot}.`,
      { path: relative },
      'Give the path relative to the knowledge-base root, e.g. projects/myapp/sessions.md.',
    );
  }
  return loaded;
}

export const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Every Markdown file of the knowledge base, skipping hidden folders and node_modules. */
export async function listMarkdownFiles(deps: Pick<Deps, 'fs'>, kbRoot: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await deps.fs.list(dir);
    await Promise.all(
      entries.map(async (entry) => {
        const full = path.posix.join(dir, entry.name);
        if (entry.isDirectory && !entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) await walk(full);
        else if (entry.isFile && entry.name.endsWith('.md')) files.push(full);
      }),
    );
  };
  await walk(kbRoot);
  return files.sort();
}

/** Loads every entry; one that cannot be parsed is reported through the logger and skipped. */
export async function loadAllEntries(deps: Pick<Deps, 'fs' | 'logger'>, kbRoot: string, cache = new EntryCache()): Promise<LoadedEntry[]> {
  const files = await listMarkdownFiles(deps, kbRoot);
  const loaded = await Promise.all(
    files.map(async (file) => {
      try {
        return await cache.load(deps, kbRoot, file);
      } catch (error) {
        deps.logger.warn(`skipped ${kbRelative(kbRoot, file)}: ${describeError(error)}`);
        return undefined;
      }
    }),
  );
  return loaded.filter((entry): entry is LoadedEntry => entry !== undefined);
}

/** The project's session entry, resolved and loaded (undefined when it does not exist yet). */
export async function loadProjectEntry(
  deps: Deps,
  options: WorkspaceOptions & { entry?: string } = {},
  cache = new EntryCache(),
): Promise<{ resolved: ResolvedEntry; loaded?: LoadedEntry }> {
  const workspace = await loadWorkspace(deps, options);
  const resolved = await resolveEntry(deps, workspace, options.entry);
  const loaded = await cache.load(deps, workspace.kbRoot, resolved.entryPath);
  return { resolved, ...(loaded ? { loaded } : {}) };
}
