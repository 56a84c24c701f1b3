/**
 * What the core needs from the world. Paths are absolute and use `/`.
 * Node implements these in src/node, the extension over `vscode.workspace.fs`.
 */

export interface FileStat {
  size: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
  /** How many names the file has (hard links), where the file system says. */
  links?: number;
  /** The file's identity on its device, where the file system says: the same for every name of one file. */
  id?: string;
}

export interface DirEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/**
 * An open file: a sequence of steps on one file (an append's stat, reads, writes and sync)
 * without a path lookup, an open and a close for each.
 */
export interface FileHandle {
  stat(): Promise<FileStat>;
  /** Up to `length` bytes from `start`; fewer at the end of the file. */
  read(start: number, length: number): Promise<Uint8Array>;
  /** Writes `text` at `offset` in one call; durable only after `sync`. */
  write(offset: number, text: string): Promise<void>;
  truncate(size: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** A file found by `listTree`, with what `stat` would say of it. */
export interface TreeFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** What a folder held, by name (the files `listTree` wants, the folders it enters), when its modification time was `mtimeMs`. */
export interface FolderListing {
  mtimeMs: number;
  files: string[];
  folders: string[];
}

/**
 * Listings `listTree` may take instead of reading a folder again, as git's untracked cache does: a
 * folder's time changes whenever an entry is added, removed or renamed in it, so a folder whose time
 * is unchanged holds the same names (their files are still checked one by one). Keyed by full path.
 */
export interface FolderCache {
  get(folder: string): FolderListing | undefined;
  /** The folder's listing now; undefined when it is gone or changed too recently to be trusted. */
  set(folder: string, listing: FolderListing | undefined): void;
}

export interface FileSystem {
  /**
   * Optional: every file under `dir` whose name `wanted` accepts, in the folders `enter` accepts,
   * with its size and time, in one pass: on a local disk far faster than a list and a stat per file
   * (what a search checks before each query). With `folders`, a folder found unchanged is not read
   * again. Without this method the core lists and stats.
   */
  listTree?(dir: string, enter: (name: string) => boolean, wanted: (name: string) => boolean, folders?: FolderCache): Promise<TreeFile[]>;
  /**
   * Optional: reports the path of every file or folder created, changed or removed under `dir`, in
   * the folders `enter` accepts, as the operating system tells it; `lost` once changes may have gone
   * unreported (a folder could not be watched). Returns what stops the watch. What a long-lived
   * process's search uses instead of checking every file before each query.
   */
  watchTree?(dir: string, enter: (name: string) => boolean, changed: (path: string) => void, lost: (error: unknown) => void): () => void;
  /** The whole file as UTF-8 text, or undefined when there is no file there (nothing, or a folder). */
  readText(path: string): Promise<string | undefined>;
  /** Up to `length` bytes from `start`; fewer at the end of the file, none when it does not exist. */
  readRange(path: string, start: number, length: number): Promise<Uint8Array>;
  stat(path: string): Promise<FileStat | undefined>;
  list(dir: string): Promise<DirEntry[]>;
  /** The path with every symbolic link of its existing part resolved. */
  realpath(path: string): Promise<string>;
  mkdirp(dir: string): Promise<void>;
  /** Creates the file only if nothing is there yet; false when something is. The basis of locks. */
  createExclusive(path: string, text: string): Promise<boolean>;
  /** Opens an existing file for reading and writing; undefined when it does not exist. */
  open(path: string): Promise<FileHandle | undefined>;
  /**
   * As createExclusive, keeping the new file open (undefined when something is there): a lock's
   * record is then rewritten in one write. The text may still be on its way when this returns;
   * it is in the file before any later step through the handle.
   */
  createExclusiveOpen(path: string, text: string): Promise<FileHandle | undefined>;
  /**
   * Cuts the file to `at` bytes, writes `text` there in one call and syncs it to disk.
   * The caller holds the file's lock and has recorded `at` so a crash can be undone.
   */
  appendAt(path: string, at: number, text: string): Promise<void>;
  /** Writes `text` over bytes at `offset` (same length as before) and syncs. */
  patch(path: string, offset: number, text: string): Promise<void>;
  /** Replaces the whole file atomically: a temporary file, synced, renamed over the target. */
  writeAtomic(path: string, data: string | Uint8Array): Promise<void>;
  /** Cuts the file to `size` bytes. */
  truncate(path: string, size: number): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
}

/** The running process and its machine: for telling a live lock from one left by a crash. */
export interface Host {
  readonly pid: number;
  readonly hostname: string;
  isProcessAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Git {
  /** The repository's top folder, or undefined outside a repository (or when git is unavailable). */
  root(cwd: string): Promise<string | undefined>;
  /** The URL of `origin`, else of the first remote. */
  remoteUrl(cwd: string): Promise<string | undefined>;
  /** Files changed in the working tree, and in commits since `since` when given, relative to the root. */
  changedFiles(cwd: string, since?: Date): Promise<string[]>;
}

/** Why a git step failed, so the core can say what to do. */
export type GitFailure = 'no_repository' | 'no_remote' | 'conflict' | 'auth' | 'network' | 'other';

export class GitError extends Error {
  constructor(
    readonly failure: GitFailure,
    message: string,
    readonly files: string[] = [],
  ) {
    super(message);
  }
}

/** The git steps of syncing a shared knowledge base; each throws GitError. */
export interface GitSync {
  /** Stages everything under `dir` and commits it; false when there was nothing to commit. */
  commitAll(dir: string, message: string): Promise<{ committed: boolean; files: number }>;
  remotes(dir: string): Promise<string[]>;
  /** Whether the current branch tracks a remote branch. */
  hasUpstream(dir: string): Promise<boolean>;
  /** `git pull --rebase`; on conflicts, aborts the rebase (the local commits stay) and throws 'conflict' with the files. */
  pullRebase(dir: string): Promise<void>;
  /** `git push`, setting the upstream to `remote` when the branch has none. */
  push(dir: string, remote?: string): Promise<void>;
  /** Registers the `sessionlog` merge driver (named by .gitattributes) in the repository's local config. */
  registerMergeDriver(dir: string): Promise<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface Environment {
  get(name: string): string | undefined;
  cwd(): string;
}

/** Everything the use cases are given. */
export interface Deps {
  fs: FileSystem;
  host: Host;
  clock: Clock;
  git: Git;
  env: Environment;
  logger: Logger;
  /** Absent where git may not run (an untrusted or virtual workspace). */
  gitSync?: GitSync;
}
