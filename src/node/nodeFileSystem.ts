import * as fs from 'node:fs/promises';
import { closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync, statSync, watch, type FSWatcher, type Stats } from 'node:fs';
import * as path from 'node:path';
import { explainStorageError } from '../core/errors';
import type { DirEntry, FileHandle, FileStat, FileSystem, FolderCache, FolderListing, TreeFile } from '../core/ports';

/** A stat that answers undefined, not an error, for nothing there. */
const QUIET_STAT = { throwIfNoEntry: false } as const;

/** Most files read whole in their first read. */
const FIRST_READ_BYTES = 64 * 1024;

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Reading a folder as a file fails so: when opening it (Windows) or when reading it. */
function isFolder(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EISDIR';
}

async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The core's FileSystem on node:fs, with real fsync, exclusive create and atomic rename. */
export class NodeFileSystem implements FileSystem {
  /**
   * `blocking`: reads go straight to the disk instead of through the thread pool, each sparing a
   * round trip through the event loop. For a process that does one thing at a time (the CLI, where
   * a search makes dozens of small reads); never for one whose thread serves others (the editor).
   */
  constructor(private readonly blocking = false) {}

  /**
   * Synchronous on purpose: thousands of small stats through the thread pool take several times as
   * long as the same calls made in a row, and a search checks every file before each query.
   */
  async listTree(dir: string, enter: (name: string) => boolean, wanted: (name: string) => boolean, folders?: FolderCache): Promise<TreeFile[]> {
    const files: TreeFile[] = [];
    const walk = (folder: string): void => {
      const listing = folderListing(folder, enter, wanted, folders);
      if (!listing) return;
      for (const name of listing.files) {
        const full = `${folder}/${name}`;
        const stat = statSync(full, QUIET_STAT);
        if (stat?.isFile()) files.push({ path: full, size: stat.size, mtimeMs: stat.mtimeMs });
      }
      for (const name of listing.folders) walk(`${folder}/${name}`);
    };
    walk(dir);
    return files;
  }

  /** One watch per folder (inotify and its kin watch a folder's own entries), a new folder watched as it appears. */
  watchTree(dir: string, enter: (name: string) => boolean, changed: (path: string) => void, lost: (error: unknown) => void): () => void {
    const watchers = new Map<string, FSWatcher>();
    let closed = false;
    const fail = (error: unknown) => {
      if (closed) return;
      stop();
      lost(error);
    };
    const add = (folder: string): void => {
      if (closed || watchers.has(folder)) return;
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          if (name === null) return fail(new Error(`${folder}: a change without a name`));
          const full = `${folder}/${name}`;
          if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) {
            if (enter(name)) addTree(full);
          } else forget(full);
          changed(full);
        });
        watcher.on('error', fail);
        watchers.set(folder, watcher);
      } catch (error) {
        if (!isMissing(error)) fail(error);
      }
    };
    const addTree = (folder: string): void => {
      add(folder);
      let entries;
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch (error) {
        if (!isMissing(error)) fail(error);
        return;
      }
      for (const entry of entries) if (entry.isDirectory() && enter(entry.name)) addTree(`${folder}/${entry.name}`);
    };
    // A folder gone: its watches go too, so one made again under its name is watched afresh.
    const forget = (folder: string) => {
      for (const [path, watcher] of watchers) {
        if (path === folder || path.startsWith(`${folder}/`)) {
          watcher.close();
          watchers.delete(path);
        }
      }
    };
    const stop = () => {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    };
    addTree(dir);
    return stop;
  }

  /**
   * One open and one read for most files: a read that comes back short has reached the end, so
   * only a file longer than the first read is measured and read on. Two round trips fewer than
   * fs.readFile, which measures first and closes before it returns.
   */
  async readText(file: string): Promise<string | undefined> {
    if (this.blocking) return readTextNow(file);
    // Non-blocking, so a FIFO in a file's place reads as empty rather than waiting for a writer forever.
    const handle = await orUndefined(fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)).catch((error: unknown) => {
      if (isFolder(error)) return undefined;
      throw error;
    });
    if (!handle) return undefined;
    try {
      const first = Buffer.allocUnsafe(FIRST_READ_BYTES);
      const { bytesRead } = await handle.read(first, 0, first.length, 0);
      if (bytesRead < first.length) return first.toString('utf8', 0, bytesRead);
      const { size } = await handle.stat();
      const whole = Buffer.allocUnsafe(Math.max(size, bytesRead));
      first.copy(whole, 0, 0, bytesRead);
      const rest = await handle.read(whole, bytesRead, whole.length - bytesRead, bytesRead);
      return whole.toString('utf8', 0, bytesRead + rest.bytesRead);
    } catch (error) {
      if (isFolder(error)) return undefined;
      // A FIFO or socket cannot be read at an offset: nothing to read as a file's text.
      if ((error as NodeJS.ErrnoException).code === 'ESPIPE') return '';
      throw error;
    } finally {
      // Not waited for: the bytes are read, and closing a file that was only read changes nothing for the caller.
      handle.close().catch(() => undefined);
    }
  }

  async readRange(file: string, start: number, length: number): Promise<Uint8Array> {
    if (this.blocking) return readRangeNow(file, start, length);
    const handle = await orUndefined(fs.open(file, 'r'));
    if (!handle) return new Uint8Array();
    try {
      // Unzeroed: only the bytes read are handed out.
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async stat(file: string): Promise<FileStat | undefined> {
    const stat = this.blocking ? orUndefinedNow(() => statSync(file)) : await orUndefined(fs.stat(file));
    return stat && fileStat(stat);
  }

  async open(file: string): Promise<FileHandle | undefined> {
    const handle = await orUndefined(fs.open(file, 'r+'));
    return handle && new NodeFileHandle(file, handle);
  }

  async list(dir: string): Promise<DirEntry[]> {
    const entries =
      (this.blocking ? orUndefinedNow(() => readdirSync(dir, { withFileTypes: true })) : await orUndefined(fs.readdir(dir, { withFileTypes: true }))) ?? [];
    return entries.map((entry) => ({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() }));
  }

  /**
   * Resolves the existing part of the path and keeps the rest as written. A dangling symbolic
   * link is followed to where it points, so a link to a file not made yet is seen for what it is.
   */
  async realpath(file: string): Promise<string> {
    const rest: string[] = [];
    for (let current = file, hops = 0; ;) {
      const real = await orUndefined(fs.realpath(current));
      if (real !== undefined) return path.join(real, ...[...rest].reverse());
      const link = await fs.readlink(current).catch(() => undefined);
      if (link !== undefined && hops++ < 40) {
        current = path.resolve(path.dirname(current), link);
        continue;
      }
      if (path.dirname(current) === current) return file;
      rest.push(path.basename(current));
      current = path.dirname(current);
    }
  }

  async mkdirp(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
  }

  async createExclusive(file: string, text: string): Promise<boolean> {
    const handle = await this.createExclusiveOpen(file, text);
    await handle?.close();
    return !!handle;
  }

  /**
   * The text is written while the caller goes on (a lock's holder opens the file it guards
   * meanwhile); the handle's next step waits for that write, and fails if it did.
   */
  async createExclusiveOpen(file: string, text: string): Promise<FileHandle | undefined> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'wx+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    return new NodeFileHandle(file, handle, writeText(handle, 0, text));
  }

  async appendAt(file: string, at: number, text: string): Promise<void> {
    const handle = await fs.open(file, 'r+');
    try {
      const { size } = await handle.stat();
      if (size !== at) await handle.truncate(at);
      const bytes = Buffer.from(text, 'utf8');
      const { bytesWritten } = await handle.write(bytes, 0, bytes.length, at);
      if (bytesWritten !== bytes.length) throw new Error(`short write to ${file}: ${bytesWritten} of ${bytes.length} bytes`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async patch(file: string, offset: number, text: string): Promise<void> {
    const handle = await fs.open(file, 'r+');
    try {
      await handle.write(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text), offset);
    } finally {
      await handle.close();
    }
  }

  async writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
    const temp = tempPathFor(file);
    const handle = await fs.open(temp, 'wx');
    try {
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      // A full disk leaves no half-written temporary file behind.
      await fs.rm(temp, { force: true });
      throw error;
    }
    await renameOver(temp, file);
    await syncDirectory(path.dirname(file));
  }

  async truncate(file: string, size: number): Promise<void> {
    await fs.truncate(file, size);
  }

  /** Into a new file renamed over `to`: a symbolic link there is replaced, never written through. */
  async copy(from: string, to: string): Promise<void> {
    const temp = tempPathFor(to);
    try {
      await fs.copyFile(from, temp, fsConstants.COPYFILE_EXCL);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await renameOver(temp, to);
  }

  /** One unlink: fs.rm with force takes about three times as long, and it runs on every lock release. */
  async remove(file: string): Promise<void> {
    try {
      await fs.unlink(file);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
}

/** A new file's name beside `file`, hidden and unique to this process and call. */
function tempPathFor(file: string): string {
  // Math.random, not node:crypto (milliseconds to load in a CLI process): the name must be unique, not secret, and creating it exclusively refuses a clash.
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/** Renames `temp` over `file`, removing `temp` if that fails. */
async function renameOver(temp: string, file: string): Promise<void> {
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** A folder changed this recently may change again within the same tick of its clock (two seconds on FAT): its listing is not kept. */
const RACY_MS = 3_000;

/**
 * The names in `folder` that a tree walk wants, from `folders` when the folder's time is the one
 * listed there, else read (its time taken first, so a change made while it is read shows as a
 * newer time next time). Undefined when there is no folder.
 */
function folderListing(folder: string, enter: (name: string) => boolean, wanted: (name: string) => boolean, folders?: FolderCache): FolderListing | undefined {
  let mtimeMs = NaN;
  if (folders) {
    const stat = statSync(folder, QUIET_STAT);
    if (!stat?.isDirectory()) {
      folders.set(folder, undefined);
      return undefined;
    }
    const known = folders.get(folder);
    if (known?.mtimeMs === stat.mtimeMs) return known;
    mtimeMs = stat.mtimeMs;
  }
  const entries = orUndefinedNow(() => readdirSync(folder, { withFileTypes: true }));
  if (!entries) return undefined;
  const listing: FolderListing = { mtimeMs, files: [], folders: [] };
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (enter(entry.name)) listing.folders.push(entry.name);
    } else if (entry.isFile() && wanted(entry.name)) listing.files.push(entry.name);
  }
  folders?.set(folder, Date.now() - mtimeMs >= RACY_MS ? listing : undefined);
  return listing;
}

function orUndefinedNow<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** readText, blocking: the same reads, the same answers for a folder, a FIFO or nothing there. */
function readTextNow(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    if (isMissing(error) || isFolder(error)) return undefined;
    throw error;
  }
  try {
    const first = Buffer.allocUnsafe(FIRST_READ_BYTES);
    const bytesRead = readSync(fd, first, 0, first.length, 0);
    if (bytesRead < first.length) return first.toString('utf8', 0, bytesRead);
    const whole = Buffer.allocUnsafe(Math.max(fstatSync(fd).size, bytesRead));
    first.copy(whole, 0, 0, bytesRead);
    const rest = readSync(fd, whole, bytesRead, whole.length - bytesRead, bytesRead);
    return whole.toString('utf8', 0, bytesRead + rest);
  } catch (error) {
    if (isFolder(error)) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ESPIPE') return '';
    throw error;
  } finally {
    closeSync(fd);
  }
}

function readRangeNow(file: string, start: number, length: number): Uint8Array {
  const fd = orUndefinedNow(() => openSync(file, 'r'));
  if (fd === undefined) return new Uint8Array();
  try {
    const buffer = Buffer.allocUnsafe(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, start));
  } finally {
    closeSync(fd);
  }
}

function fileStat(stat: Stats): FileStat {
  return { size: stat.size, mtimeMs: stat.mtimeMs, isFile: stat.isFile(), isDirectory: stat.isDirectory(), links: stat.nlink, id: `${stat.dev}:${stat.ino}` };
}

/** Writes all of `text` at `offset` in one call. */
async function writeText(handle: fs.FileHandle, offset: number, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const { bytesWritten } = await handle.write(bytes, 0, bytes.length, offset);
  if (bytesWritten !== bytes.length) throw new Error(`short write at ${offset}: ${bytesWritten} of ${bytes.length} bytes`);
}

/** An open file; positional reads and writes, so steps on one handle may run at once. */
class NodeFileHandle implements FileHandle {
  constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
    /** A write begun when the file was created: every step waits for it first. */
    private readonly first: Promise<void> = Promise.resolve(),
  ) {
    // Not unhandled meanwhile: the next step reports it.
    first.catch(() => undefined);
  }

  private async ready(): Promise<fs.FileHandle> {
    await this.first;
    return this.handle;
  }

  async stat(): Promise<FileStat> {
    return fileStat(await (await this.ready()).stat());
  }

  async read(start: number, length: number): Promise<Uint8Array> {
    // Unzeroed: only the bytes read are handed out.
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await (await this.ready()).read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  }

  async write(offset: number, text: string): Promise<void> {
    await writeText(await this.ready(), offset, text);
  }

  async truncate(size: number): Promise<void> {
    await (await this.ready()).truncate(size);
  }

  async sync(): Promise<void> {
    await (await this.ready()).sync();
  }

  async close(): Promise<void> {
    try {
      await this.first;
    } finally {
      await this.handle.close();
    }
  }
}

/** Makes a rename durable; some platforms cannot open a folder, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/**
 * Every failure of the file system says what happened to which file and what would fix it
 * (a full disk, a read-only file or folder), instead of a raw errno: wrapped once, here, for
 * every method of both classes (and of the extension's workspace.fs port, whose errors
 * `withErrno` first gives the errno they stand for).
 */
export function explainFailures<T extends object>(
  prototype: T,
  methods: { [K in keyof T]?: 'read' | 'write' },
  fileOf: (self: T, args: unknown[], name: keyof T) => string,
  withErrno: (error: unknown) => unknown = (error) => error,
): void {
  for (const [name, kind] of Object.entries(methods) as [keyof T & string, 'read' | 'write'][]) {
    const plain = prototype[name] as unknown as ((...args: unknown[]) => Promise<unknown>) | undefined;
    // An optional method this file system does not have stays absent.
    if (typeof plain !== 'function') continue;
    Object.defineProperty(prototype, name, {
      configurable: true,
      writable: true,
      value: async function (this: T, ...args: unknown[]): Promise<unknown> {
        try {
          return await plain.apply(this, args);
        } catch (error) {
          throw explainStorageError(withErrno(error), fileOf(this, args, name), kind === 'write');
        }
      },
    });
  }
}

/** Which methods of a FileSystem read and which write, for the storage error's wording. */
export const FILE_SYSTEM_METHODS = {
  listTree: 'read',
  readText: 'read',
  readRange: 'read',
  stat: 'read',
  list: 'read',
  realpath: 'read',
  open: 'write',
  mkdirp: 'write',
  createExclusive: 'write',
  createExclusiveOpen: 'write',
  appendAt: 'write',
  patch: 'write',
  writeAtomic: 'write',
  truncate: 'write',
  copy: 'write',
  remove: 'write',
} as const satisfies Record<Exclude<keyof FileSystem, 'watchTree'>, 'read' | 'write'>; // a watch reports its failures to `lost`

/** The file a FileSystem method is about: the target of a copy, else its first argument. */
export const fileOfCall = (_self: unknown, args: unknown[], name: PropertyKey): string => String(name === 'copy' ? args[1] : args[0]);

explainFailures(NodeFileSystem.prototype, FILE_SYSTEM_METHODS, fileOfCall);

explainFailures(
  NodeFileHandle.prototype,
  { stat: 'read', read: 'read', write: 'write', truncate: 'write', sync: 'write', close: 'write' },
  (self) => self.file,
);
