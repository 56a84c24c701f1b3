import * as path from 'node:path';
import { loadWorkspace, type WorkspaceOptions } from '../context/resolve';
import { SessionLogError } from '../errors';
import { GitError, type Deps, type FileSystem, type GitFailure } from '../ports';
import { withLock } from '../storage/lock';

interface SyncInput extends WorkspaceOptions {
  /** Told each step as it starts, for progress. */
  onProgress?: (step: string) => void;
}

export interface SyncResult {
  kbRoot: string;
  committed: boolean;
  files: number;
  pulled: boolean;
  pushed: boolean;
}

const HINTS: Record<GitFailure, string> = {
  no_repository: "Make the knowledge base a git repository (git init, or clone the team's) to share it.",
  no_remote: 'Add the shared repository as a remote: git remote add origin <url>.',
  conflict:
    'Your sessions are committed locally and nothing was lost. Resolve the conflicting files with git (git pull --rebase, fix, git rebase --continue), then sync again. Session entries merge by themselves when the knowledge base\'s .gitattributes has "sessions.md merge=sessionlog" (sessionlog init writes it).',
  auth: 'Git could not authenticate with the remote: check your credentials (ssh key, credential helper or token), then sync again.',
  network: 'The remote could not be reached: check the network and the remote URL, then sync again. Your sessions are committed locally.',
  other: 'See the git message above; your sessions are committed locally.',
};

/**
 * Shares the knowledge base through git, the one engine for it: commit what this machine
 * logged, pull with rebase, push. Each failure says what happened and what to do.
 */
export async function syncKnowledgeBase(deps: Deps, input: SyncInput = {}): Promise<SyncResult> {
  const git = deps.gitSync;
  if (!git) {
    throw new SessionLogError(
      'sync_failed',
      'Git is not available here (an untrusted or virtual workspace, or git is not installed).',
      {},
      'Trust the workspace, or sync from a terminal with `sessionlog sync`.',
    );
  }
  const { kbRoot } = await loadWorkspace(deps, input);
  const progress = input.onProgress ?? (() => undefined);
  const host = path.posix.basename(deps.env.get('HOSTNAME') ?? '') || 'this machine';
  try {
    await git.registerMergeDriver(kbRoot);
    await settleWrites(deps, kbRoot, progress);
    await ensureIgnored(deps, kbRoot);
    progress('Committing new sessions');
    const { committed, files } = await git.commitAll(kbRoot, `Session Log: sessions from ${host}`);
    const remotes = await git.remotes(kbRoot);
    if (remotes.length === 0) throw new GitError('no_remote', `The knowledge base ${kbRoot} has no git remote.`);
    const tracked = await git.hasUpstream(kbRoot);
    if (tracked) {
      progress('Pulling with rebase');
      await git.pullRebase(kbRoot);
    }
    progress('Pushing');
    await git.push(kbRoot, tracked ? undefined : remotes.includes('origin') ? 'origin' : remotes[0]);
    return { kbRoot, committed, files, pulled: tracked, pushed: true };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const files = error.files.length > 0 ? ` Conflicting: ${error.files.join(', ')}.` : '';
    throw new SessionLogError(
      'sync_failed',
      `Sync of ${kbRoot} failed: ${error.message}${files}`,
      { kbRoot, failure: error.failure, files: error.files },
      HINTS[error.failure],
    );
  }
}

/** The locks of entries and agent sessions (`<file>.md.lock`): other `.lock` files (yarn.lock) are not ours to touch. */
const ENTRY_LOCK = /\.md\.lock$/;

/**
 * Waits for each write under way in the knowledge base, and undoes one a crashed writer left half
 * done, by taking and releasing its entry's lock as every writer does: what is committed then
 * holds whole sessions only (readers that know the lock skip a torn tail; git does not).
 */
async function settleWrites(deps: Deps, kbRoot: string, progress: (step: string) => void): Promise<void> {
  const locks = await entryLocksUnder(deps.fs, kbRoot);
  if (locks.length > 0) progress('Waiting for writes under way');
  for (const lock of locks) await withLock(deps, lock.slice(0, -'.lock'.length), async () => undefined);
}

async function entryLocksUnder(fs: FileSystem, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.list(dir)) {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory && entry.name !== '.git') found.push(...(await entryLocksUnder(fs, file)));
    else if (entry.isFile && ENTRY_LOCK.test(entry.name)) found.push(file);
  }
  return found;
}

/**
 * The `.gitattributes` lines that let appends by different people to one entry merge without
 * conflicts, through the `sessionlog` merge driver (which `sessionlog sync` registers).
 */
function mergeAttributes(entries: string[]): string {
  const patterns = ['sessions.md', ...entries.filter((entry) => path.posix.basename(entry) !== 'sessions.md')];
  return (
    [
      '# Session Log: concurrent appends to session entries merge section by section (sessionlog sync sets up the driver).',
      ...patterns.map((pattern) => `${pattern} merge=sessionlog`),
    ].join('\n') + '\n'
  );
}

/** Adds the merge lines to the knowledge base's `.gitattributes`, keeping what is there. */
export async function ensureMergeAttributes(deps: Pick<Deps, 'fs'>, kbRoot: string, entries: string[]): Promise<boolean> {
  const file = path.posix.join(kbRoot, '.gitattributes');
  const existing = (await deps.fs.readText(file)) ?? '';
  const wanted = mergeAttributes(entries)
    .split('\n')
    .filter((line) => line && !line.startsWith('#'));
  const missing = wanted.filter((line) => !existing.split(/\r?\n/).some((have) => have.trim() === line));
  if (missing.length === 0) return false;
  const header = existing.includes('# Session Log:') ? [] : [mergeAttributes([]).split('\n')[0]!];
  const text = `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${[...header, ...missing].join('\n')}\n`;
  await deps.fs.writeAtomic(file, text);
  return true;
}

/** What `.gitignore` must hold for Session Log: its own folder (the search index), which each machine builds for itself. */
export const IGNORED = '.sessionlog/';

/** Adds `.sessionlog/` to the knowledge base's `.gitignore` once (init, and sync before it commits); true when it wrote. */
export async function ensureIgnored(deps: Pick<Deps, 'fs'>, kbRoot: string): Promise<boolean> {
  const file = path.posix.join(kbRoot, '.gitignore');
  const existing = (await deps.fs.readText(file)) ?? '';
  if (existing.split(/\r?\n/).some((line) => ['.sessionlog', '.sessionlog/', '/.sessionlog', '/.sessionlog/'].includes(line.trim()))) return false;
  const text = `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}# Session Log: the search index, rebuilt from the entries on each machine\n${IGNORED}\n`;
  await deps.fs.writeAtomic(file, text);
  return true;
}
