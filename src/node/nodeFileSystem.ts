import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { DirEntry, FileStat, FileSystem } from '../core/ports';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
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
  readText(file: string): Promise<string | undefined> {
    return orUndefined(fs.readFile(file, 'utf8'));
  }

  async readRange(file: string, start: number, length: number): Promise<Uint8Array> {
    const handle = await orUndefined(fs.open(file, 'r'));
    if (!handle) return new Uint8Array();
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async stat(file: string): Promise<FileStat | undefined> {
    const stat = await orUndefined(fs.stat(file));
    return stat && { size: stat.size, mtimeMs: stat.mtimeMs, isFile: stat.isFile(), isDirectory: stat.isDirectory() };
  }

  async list(dir: string): Promise<DirEntry[]> {
    const entries = (await orUndefined(fs.readdir(dir, { withFileTypes: true }))) ?? [];
    return entries.map((entry) => ({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() }));
  }

  /** Resolves the existing part of the path and keeps the rest as written. */
  async realpath(file: string): Promise<string> {
    const rest: string[] = [];
    for (let current = file; ; current = path.dirname(current)) {
      const real = await orUndefined(fs.realpath(current));
      if (real !== undefined) return path.join(real, ...rest.reverse());
      if (path.dirname(current) === current) return file;
      rest.push(path.basename(current));
    }
  }

  async mkdirp(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
  }

  async createExclusive(file: string, text: string): Promise<boolean> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.write(text);
    } finally {
      await handle.close();
    }
    return true;
  }

  async overwrite(file: string, text: string): Promise<void> {
    await fs.writeFile(file, text);
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

  async writeAtomic(file: string, text: string): Promise<void> {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.write(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(path.dirname(file));
  }

  async truncate(file: string, size: number): Promise<void> {
    await fs.truncate(file, size);
  }

  async copy(from: string, to: string): Promise<void> {
    await fs.copyFile(from, to);
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
