import { SessionLogError } from '../errors';
import type { Deps, FileHandle } from '../ports';

/**
 * A lock file beside the file it guards (`<file>.lock`), created exclusively, so every
 * writer on the machine (editor windows, the CLI, agents) takes turns. Its record also
 * carries the guarded file's committed size while an append is under way: if the holder
 * dies, whoever breaks the stale lock cuts the file back to that size, so a half-written
 * section is never left behind, and readers meanwhile read only up to it.
 */
interface LockRecord {
  pid: number;
  host: string;
  acquired: number;
  /** The guarded file's committed length in bytes while an append is under way. */
  size?: number;
  /** The file's first bytes before an in-place rewrite of its head (same length), to put back. */
  head?: string;
}

export interface LockOptions {
  timeoutMs?: number;
  /** A lock older than this is taken for abandoned even if its process cannot be checked. */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_STALE_MS = 30_000;
const BREAKER_STALE_MS = 5_000;
const TORN_RECORD_MS = 2_000;

type LockDeps = Pick<Deps, 'fs' | 'host' | 'clock' | 'logger'>;

export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

export class FileLock {
  /** The record's file closing, once the undo is written (nothing more is written to it). */
  private closing: Promise<void> | undefined;
  private releasing: Promise<void> | undefined;

  private constructor(
    private readonly deps: LockDeps,
    readonly file: string,
    private readonly record: LockRecord,
    /** The lock file, open since its exclusive create, so the undo record is a single write. */
    private readonly handle: FileHandle,
  ) {}

  /** Waits for the lock on `file`, breaking one left by a crashed writer. */
  static async acquire(deps: LockDeps, file: string, options: LockOptions = {}): Promise<FileLock> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const lockPath = lockPathOf(file);
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const record: LockRecord = { pid: deps.host.pid, host: deps.host.hostname, acquired: deps.clock.now().getTime() };
      const handle = await deps.fs.createExclusiveOpen(lockPath, JSON.stringify(record));
      if (handle) return new FileLock(deps, file, record, handle);
      const held = await deps.fs.readText(lockPath);
      if (held !== undefined && (await isStale(deps, lockPath, held, staleMs))) {
        await breakStaleLock(deps, file, held);
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new SessionLogError('lock_timeout', `Timed out after ${timeoutMs} ms waiting for ${lockPath}, held by ${describeHolder(held)}.`,
          { file, lock: lockPath }, `If no Session Log writer is running, delete ${lockPath}.`);
      }
      await deps.host.sleep(Math.min(50, 2 + attempt) + Math.random() * 5);
    }
  }

  /**
   * Records what a crash must restore: the committed size, and the head about to be rewritten
   * in place. Once per hold, before the guarded file changes. One write over the first record:
   * the new one begins as it does and is longer, so it covers it, and no truncation shows
   * readers an empty lock in between.
   */
  async recordUndo(undo: { size: number; head?: string }): Promise<void> {
    if (this.closing) throw new Error(`${lockPathOf(this.file)}: the undo record is written once per lock.`);
    await this.handle.write(0, JSON.stringify({ ...this.record, ...undo }));
    // Closed now, while the holder writes its file, so releasing is only the removal.
    this.closing = this.handle.close();
    this.closing.catch(() => undefined);
  }

  /** Releases the lock; again, it waits for the first release. */
  release(): Promise<void> {
    return (this.releasing ??= this.remove());
  }

  /**
   * Leaves the lock and its undo record in place, for a write that failed and could not be
   * undone: whoever breaks the lock (at once, once this process is gone) undoes the write.
   */
  abandon(): void {
    this.releasing ??= (this.closing ?? this.handle.close()).catch(() => undefined);
  }

  /** Closes the record's file before removing it: Windows may keep a removed file's name while it is open, refusing the next writer's create. */
  private async remove(): Promise<void> {
    try {
      await (this.closing ?? this.handle.close());
    } finally {
      await this.deps.fs.remove(lockPathOf(this.file));
    }
  }
}

/** Runs `work` holding the lock on `file`. */
export async function withLock<T>(deps: LockDeps, file: string, work: (lock: FileLock) => Promise<T>, options?: LockOptions): Promise<T> {
  const lock = await FileLock.acquire(deps, file, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    return typeof value.pid === 'number' && typeof value.acquired === 'number' ? (value as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function isStale(deps: LockDeps, lockPath: string, text: string, staleMs: number): Promise<boolean> {
  const record = parseRecord(text);
  if (!record) {
    // A holder writes its record at once; an empty or torn one that stays is a crash's leftover.
    const stat = await deps.fs.stat(lockPath);
    return !!stat && deps.clock.now().getTime() - stat.mtimeMs > TORN_RECORD_MS;
  }
  if (record.host === deps.host.hostname && !deps.host.isProcessAlive(record.pid)) return true;
  return deps.clock.now().getTime() - record.acquired > staleMs;
}

function describeHolder(text: string | undefined): string {
  const record = text ? parseRecord(text) : undefined;
  return record ? `process ${record.pid} on ${record.host} since ${new Date(record.acquired).toISOString()}` : 'an unknown process';
}

/**
 * Removes an abandoned lock, first cutting the file back to the size its record holds.
 * A second lock (`.lock.break`) makes sure only one process does this, and only to the
 * very record it judged stale.
 */
async function breakStaleLock(deps: LockDeps, file: string, seen: string): Promise<void> {
  const lockPath = lockPathOf(file);
  const breaker = `${lockPath}.break`;
  if (!(await deps.fs.createExclusive(breaker, String(deps.host.pid)))) {
    const stat = await deps.fs.stat(breaker);
    if (stat && deps.clock.now().getTime() - stat.mtimeMs > BREAKER_STALE_MS) await deps.fs.remove(breaker);
    return;
  }
  try {
    if ((await deps.fs.readText(lockPath)) !== seen) return;
    const record = parseRecord(seen);
    const stat = await deps.fs.stat(file);
    if (record?.size !== undefined && stat && stat.size > record.size) {
      await deps.fs.truncate(file, record.size);
      deps.logger.warn(`${file}: undid an unfinished write by ${describeHolder(seen)} (${stat.size - record.size} bytes).`);
    }
    if (record?.head !== undefined && stat) await deps.fs.patch(file, 0, record.head);
    await deps.fs.remove(lockPath);
  } finally {
    await deps.fs.remove(breaker);
  }
}

/** What a live lock on `file` says is committed, if a write is under way. */
export async function pendingUndo(deps: Pick<Deps, 'fs'>, file: string): Promise<{ size?: number; head?: string } | undefined> {
  const text = await deps.fs.readText(lockPathOf(file));
  const record = text ? parseRecord(text) : undefined;
  return record && (record.size !== undefined || record.head !== undefined) ? { size: record.size, head: record.head } : undefined;
}
