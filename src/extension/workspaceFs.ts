import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DirEntry, FileHandle, FileStat, FileSystem } from '../core/ports';
import { explainFailures, FILE_SYSTEM_METHODS, fileOfCall, NodeFileSystem } from '../node/nodeFileSystem';
import { withErrno } from './fileSystemErrors';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The core's paths are absolute and use `/`. For `file:` folders they are the platform path
 * (`C:/x` on Windows); for any other scheme (remote, virtual) they are the URI's path, and the
 * scheme and authority come from the workspace folder the file system was made for.
 */
export function pathOfUri(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath.replace(/\\/g, '/') : uri.path;
}

export function uriOfPath(base: vscode.Uri, file: string): vscode.Uri {
  return base.scheme === 'file' ? vscode.Uri.file(file) : base.with({ path: file, query: '', fragment: '' });
}

/**
 * The FileSystem for a workspace folder. `file:` folders get the node implementation: every
 * writer that can reach a local disk (the CLI, agents, other windows) locks with `O_EXCL` and
 * syncs with `fsync`, and `vscode.workspace.fs` offers neither (its "rename without overwrite"
 * checks and then renames, which another process can slip between), so only node's primitives
 * keep the promise that concurrent appends lose nothing. It is also several times faster, as
 * workspace.fs calls travel through the renderer. Every other scheme goes through workspace.fs.
 */
export function createFileSystem(base: vscode.Uri, onDidWrite?: (file: string) => void): FileSystem {
  const fs = base.scheme === 'file' ? new NodeFileSystem() : new WorkspaceFileSystem(base);
  return onDidWrite ? announcingWrites(fs, onDidWrite) : fs;
}

/**
 * The file system with every change it makes announced, once the step is over (failed steps too:
 * they may have changed something). Whatever this extension writes through the core reaches the
 * views this way, without a command having to remind them; other processes' writes reach them
 * through the watchers. Creating a folder is not announced: it shows nothing new, and readers
 * that make their folder would otherwise read again without end.
 */
function announcingWrites(fs: FileSystem, announce: (file: string) => void): FileSystem {
  const after = <T>(file: string, step: Promise<T>): Promise<T> => step.finally(() => announce(file));
  const wrap = (file: string, handle: FileHandle | undefined) => handle && announcingHandle(handle, () => announce(file));
  const listTree = fs.listTree?.bind(fs);
  const watchTree = fs.watchTree?.bind(fs);
  return {
    ...(listTree ? { listTree } : {}),
    ...(watchTree ? { watchTree } : {}),
    readText: (file) => fs.readText(file),
    readRange: (file, start, length) => fs.readRange(file, start, length),
    stat: (file) => fs.stat(file),
    list: (dir) => fs.list(dir),
    realpath: (file) => fs.realpath(file),
    mkdirp: (dir) => fs.mkdirp(dir),
    createExclusive: async (file, text) => {
      const created = await fs.createExclusive(file, text);
      if (created) announce(file);
      return created;
    },
    open: async (file) => wrap(file, await fs.open(file)),
    createExclusiveOpen: async (file, text) => {
      const handle = await fs.createExclusiveOpen(file, text);
      if (handle) announce(file);
      return wrap(file, handle);
    },
    appendAt: (file, at, text) => after(file, fs.appendAt(file, at, text)),
    patch: (file, offset, text) => after(file, fs.patch(file, offset, text)),
    writeAtomic: (file, text) => after(file, fs.writeAtomic(file, text)),
    truncate: (file, size) => after(file, fs.truncate(file, size)),
    copy: (from, to) => after(to, fs.copy(from, to)),
    remove: (file) => after(file, fs.remove(file)),
  };
}

/** An open file that announces, when closed, that it was written (if it was). */
function announcingHandle(handle: FileHandle, announce: () => void): FileHandle {
  let written = false;
  return {
    stat: () => handle.stat(),
    read: (start, length) => handle.read(start, length),
    write: (offset, text) => ((written = true), handle.write(offset, text)),
    truncate: (size) => ((written = true), handle.truncate(size)),
    sync: () => handle.sync(),
    close: () => handle.close().finally(() => written && announce()),
  };
}

/** Writers in this extension host that are between "is the lock free?" and "the lock is mine". */
const creating = new Map<string, Promise<unknown>>();

/**
 * The core's FileSystem over `vscode.workspace.fs`, for remote and virtual workspaces. The
 * lock protocol maps onto it so: exclusive create is a unique temporary file renamed onto the
 * lock without overwrite (serialised within this extension host, and checked by reading the
 * record back); appends, patches and truncation build the new content in a temporary file and
 * rename it over the old one, so a reader sees the old file or the new one, never half of it.
 * workspace.fs cannot resolve symbolic links, so `realpath` returns the path as given.
 */
export class WorkspaceFileSystem implements FileSystem {
  constructor(private readonly base: vscode.Uri) {}

  private uri(file: string): vscode.Uri {
    return uriOfPath(this.base, file);
  }

  /** The file's bytes; undefined when there is no file there (nothing, or a folder). */
  private async read(file: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(this.uri(file));
    } catch (error) {
      if (isNotFound(error) || isDirectory(error)) return undefined;
      throw error;
    }
  }

  async readText(file: string): Promise<string | undefined> {
    const bytes = await this.read(file);
    return bytes && decoder.decode(bytes);
  }

  async readRange(file: string, start: number, length: number): Promise<Uint8Array> {
    const bytes = await this.read(file);
    return bytes ? bytes.slice(start, start + length) : new Uint8Array();
  }

  async stat(file: string): Promise<FileStat | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(this.uri(file));
      return {
        size: stat.size,
        mtimeMs: stat.mtime,
        isFile: (stat.type & vscode.FileType.File) !== 0,
        isDirectory: (stat.type & vscode.FileType.Directory) !== 0,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(dir: string): Promise<DirEntry[]> {
    try {
      const entries = await vscode.workspace.fs.readDirectory(this.uri(dir));
      return entries.map(([name, type]) => ({ name, isFile: (type & vscode.FileType.File) !== 0, isDirectory: (type & vscode.FileType.Directory) !== 0 }));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  async realpath(file: string): Promise<string> {
    return file;
  }

  async open(file: string): Promise<FileHandle | undefined> {
    return (await this.stat(file)) ? new PathHandle(this, file) : undefined;
  }

  async createExclusiveOpen(file: string, text: string): Promise<FileHandle | undefined> {
    return (await this.createExclusive(file, text)) ? new PathHandle(this, file) : undefined;
  }

  async mkdirp(dir: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.uri(dir));
  }

  async createExclusive(file: string, text: string): Promise<boolean> {
    const key = this.uri(file).toString();
    while (creating.has(key)) await creating.get(key)!.catch(() => undefined);
    const attempt = this.tryCreate(file, text);
    creating.set(key, attempt);
    try {
      return await attempt;
    } finally {
      creating.delete(key);
    }
  }

  private async tryCreate(file: string, text: string): Promise<boolean> {
    if (await this.stat(file)) return false;
    const temp = await this.writeTemp(file, encoder.encode(text));
    try {
      await vscode.workspace.fs.rename(this.uri(temp), this.uri(file), { overwrite: false });
    } catch (error) {
      await this.remove(temp);
      if (isExists(error)) return false;
      throw error;
    }
    // Another process may have renamed its own record over ours meanwhile: then the lock is theirs.
    return (await this.readText(file)) === text;
  }

  async appendAt(file: string, at: number, text: string): Promise<void> {
    const old = (await this.read(file)) ?? new Uint8Array();
    const addition = encoder.encode(text);
    const next = new Uint8Array(at + addition.length);
    next.set(old.subarray(0, Math.min(at, old.length)));
    next.set(addition, at);
    await this.replace(file, next);
  }

  async patch(file: string, offset: number, text: string): Promise<void> {
    const old = (await this.read(file)) ?? new Uint8Array();
    const bytes = encoder.encode(text);
    const next = new Uint8Array(Math.max(old.length, offset + bytes.length));
    next.set(old);
    next.set(bytes, offset);
    await this.replace(file, next);
  }

  async writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
    await this.replace(file, typeof data === 'string' ? encoder.encode(data) : data);
  }

  async truncate(file: string, size: number): Promise<void> {
    const old = (await this.read(file)) ?? new Uint8Array();
    await this.replace(file, old.slice(0, size));
  }

  async copy(from: string, to: string): Promise<void> {
    await vscode.workspace.fs.copy(this.uri(from), this.uri(to), { overwrite: true });
  }

  async remove(file: string): Promise<void> {
    try {
      await vscode.workspace.fs.delete(this.uri(file), { recursive: false, useTrash: false });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** The whole new content in a temporary file beside the target, renamed over it. */
  private async replace(file: string, bytes: Uint8Array): Promise<void> {
    const temp = await this.writeTemp(file, bytes);
    try {
      await vscode.workspace.fs.rename(this.uri(temp), this.uri(file), { overwrite: true });
    } catch (error) {
      await this.remove(temp);
      throw error;
    }
  }

  /** A new temporary file beside `file` holding `bytes`; one that could not be written whole (a full disk) is removed. */
  private async writeTemp(file: string, bytes: Uint8Array): Promise<string> {
    const temp = this.tempFor(file);
    try {
      await vscode.workspace.fs.writeFile(this.uri(temp), bytes);
    } catch (error) {
      await this.remove(temp).catch(() => undefined);
      throw error;
    }
    return temp;
  }

  private tempFor(file: string): string {
    const unique = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    return path.posix.join(path.posix.dirname(file), `.${path.posix.basename(file)}.${unique}.tmp`);
  }
}

// A full disk or a read-only file says so, names the file and the fix, as on a local disk (handles go through these methods).
explainFailures(WorkspaceFileSystem.prototype, FILE_SYSTEM_METHODS, fileOfCall, withErrno);

/**
 * workspace.fs has no open files: this handle names the path and each step is the path-based
 * one. A write reads and replaces the whole file, so steps run one after another (two writes at
 * once would each replace the file without the other's bytes), and there is nothing left to sync.
 */
class PathHandle implements FileHandle {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fs: FileSystem,
    private readonly file: string,
  ) {}

  private step<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  stat(): Promise<FileStat> {
    return this.step(async () => {
      const stat = await this.fs.stat(this.file);
      if (!stat) throw new Error(`${this.file} no longer exists.`);
      return stat;
    });
  }

  read(start: number, length: number): Promise<Uint8Array> {
    return this.step(() => this.fs.readRange(this.file, start, length));
  }

  write(offset: number, text: string): Promise<void> {
    return this.step(() => this.fs.patch(this.file, offset, text));
  }

  truncate(size: number): Promise<void> {
    return this.step(() => this.fs.truncate(this.file, size));
  }

  sync(): Promise<void> {
    return this.step(async () => undefined);
  }

  close(): Promise<void> {
    return this.step(async () => undefined);
  }
}

function codeOf(error: unknown): string | undefined {
  if (error instanceof vscode.FileSystemError) return error.code;
  const name = error as { code?: unknown; name?: unknown } | undefined;
  return typeof name?.code === 'string' ? name.code : typeof name?.name === 'string' ? name.name : undefined;
}

function isNotFound(error: unknown): boolean {
  const code = codeOf(error) ?? '';
  return /FileNotFound|EntryNotFound|ENOENT|FileNotADirectory|ENOTDIR/.test(code);
}

function isDirectory(error: unknown): boolean {
  return /FileIsADirectory|EISDIR/.test(codeOf(error) ?? '');
}

function isExists(error: unknown): boolean {
  return /FileExists|EntryExists|EEXIST/.test(codeOf(error) ?? '');
}
