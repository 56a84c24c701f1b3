import { fileWritten } from './written';
import { SessionLogError } from '../errors';
import type { Deps, FileHandle } from '../ports';
import { headState, tailIsWriters, type UndoRecord } from './undo';

/**
 * A lock file beside the file it guards (`<file>.lock`), created exclusively, so every
 * writer on the machine (editor windows, the CLI, agents) takes turns. Its record also
 * carries an undo record while an append is under way: if the holder dies, whoever breaks
 * the stale lock takes back the bytes the holder wrote (and only those, see undo.ts), so a
 * half-written section is never left behind, and readers meanwhile read as if it were gone.
 */
interface LockRecord extends Partial<UndoRecord> {
  pid: number;
  host: string;
  acquired: number;
}

interface LockOptions {
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
      const handle = await deps.fs.createExclusiveOpen(lockPath, JSON.stringify(record)).catch((error: unknown) => {
        throw namingGuarded(error, file);
      });
      if (handle) return new FileLock(deps, file, record, handle);
      const held = await deps.fs.readText(lockPath);
      if (held !== undefined && (await isStale(deps, lockPath, held, staleMs))) {
        await breakStaleLock(deps, file, held);
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new SessionLogError(
          'lock_timeout',
          `Timed out after ${timeoutMs} ms waiting for ${lockPath}, held by ${describeHolder(held)}.`,
          { file, lock: lockPath },
          `If no Session Log writer is running, delete ${lockPath}.`,
        );
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
  async recordUndo(undo: UndoRecord): Promise<void> {
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
      // Every write of ours is made under its file's lock: its release is where the write has landed.
      fileWritten(this.file);
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

/** A full disk or a read-only folder met on the lock file is the guarded file's problem: said of it. */
function namingGuarded(error: unknown, file: string): unknown {
  if (!(error instanceof SessionLogError) || (error.code !== 'disk_full' && error.code !== 'permission_denied')) return error;
  return new SessionLogError(error.code, `${file} cannot be written: ${error.message}`, { ...error.details, file }, error.hint);
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
 * Removes an abandoned lock, first taking back what its holder wrote, as its undo record
 * describes: bytes past the committed size only if they are the holder's own (all of its write,
 * a part ending where a killed write can end, or whitespace), the head only if it is the
 * holder's rewrite. Anything else is kept, and said. A second lock (`.lock.break`) makes sure
 * only one process does this, and only to the very record it judged stale.
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
    if (record?.size !== undefined) await undoAbandoned(deps, file, record as LockRecord & UndoRecord, seen);
    await deps.fs.remove(lockPath);
  } finally {
    await deps.fs.remove(breaker);
  }
}

async function undoAbandoned(deps: LockDeps, file: string, record: LockRecord & UndoRecord, seen: string): Promise<void> {
  const stat = await deps.fs.stat(file);
  if (!stat?.isFile) return;
  if (stat.size > record.size) {
    const tail = await deps.fs.readRange(file, record.size, stat.size - record.size);
    if (tailIsWriters(record, tail)) {
      await deps.fs.truncate(file, record.size);
      deps.logger.warn(`${file}: undid an unfinished write by ${describeHolder(seen)} (${stat.size - record.size} bytes).`);
    } else {
      deps.logger.warn(
        `${file}: ${describeHolder(seen)} died while writing, and the ${stat.size - record.size} bytes after byte ${record.size} ` +
          'are not only what it wrote (something else wrote there too): all are kept. Check the end of the file.',
      );
    }
  }
  if (record.head !== undefined) {
    const state = headState(record, await deps.fs.readRange(file, 0, new TextEncoder().encode(record.head).length));
    if (state === 'restore') await deps.fs.patch(file, 0, record.head);
    if (state === 'keep') deps.logger.warn(`${file}: its frontmatter changed after an unfinished write by ${describeHolder(seen)}; it is kept as it is.`);
  }
}

/** The undo record of a live lock on `file`, if a write is under way. */
export async function pendingUndo(deps: Pick<Deps, 'fs'>, file: string): Promise<UndoRecord | undefined> {
  const text = await deps.fs.readText(lockPathOf(file));
  const record = text ? parseRecord(text) : undefined;
  return record?.size !== undefined
    ? {
        size: record.size,
        ...(record.stops ? { stops: record.stops } : {}),
        ...(record.head !== undefined ? { head: record.head } : {}),
        ...(record.headSum ? { headSum: record.headSum } : {}),
      }
    : undefined;
}
