/** Every way the core can fail, as a stable code that front ends translate in one place. */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_kbcontext'
  | 'no_context'
  | 'no_kb_root'
  | 'path_outside_kb'
  | 'entry_not_found'
  | 'unparseable_entry'
  | 'lock_timeout'
  | 'io_error'
  | 'disk_full'
  | 'permission_denied'
  | 'already_exists'
  | 'sync_failed'
  // Agent sessions and turns (the protocol's codes, plus the two we add).
  | 'session_not_found'
  | 'session_already_exists'
  | 'invalid_session_id'
  | 'invalid_request_id'
  | 'turn_not_found'
  | 'turn_already_exists'
  | 'turn_immutable'
  | 'turn_in_progress'
  | 'session_id_required'
  | 'invalid_parameter';

/**
 * The one error type the core throws. `message` is a whole sentence that names the file,
 * field or flag at fault; `hint` says what would fix it.
 */
export class SessionLogError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SessionLogError';
  }

  /** The message and, after it, the hint: what a user is told. */
  get withHint(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }

  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown>; hint?: string } {
    return { code: this.code, message: this.message, details: this.details, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

export function isSessionLogError(error: unknown): error is SessionLogError {
  return error instanceof SessionLogError;
}

/** The message of any thrown value, for logs. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The errnos of storage faults a user can fix, which explainStorageError words. */
export const STORAGE_FAULTS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EFBIG']);

/**
 * A file system failure (an error carrying an errno `code`) as a SessionLogError that says what
 * happened to which file and what would fix it; anything else unchanged. `writing` tells a
 * write from a read, for the message.
 */
export function explainStorageError(error: unknown, file: string, writing: boolean): unknown {
  const errno = (error as { code?: unknown } | undefined)?.code;
  // Only what a user must fix: a missing file or a name taken (ENOENT, EEXIST, ...) is for the caller to handle.
  if (error instanceof SessionLogError || typeof errno !== 'string' || !STORAGE_FAULTS.has(errno)) return error;
  const details = { file, errno };
  const verb = writing ? 'written' : 'read';
  switch (errno) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new SessionLogError(
        'disk_full',
        `The disk is full${errno === 'EDQUOT' ? ' (over its quota)' : ''}: ${file} could not be written (${errno}).`,
        details,
        'Free some space on that disk, then try again; the write was taken back, nothing half-written is left.',
      );
    case 'EROFS':
      return new SessionLogError(
        'permission_denied',
        `${file} cannot be ${verb}: its file system is mounted read-only (${errno}).`,
        details,
        'Remount it read-write, or choose a knowledge base on a writable disk.',
      );
    case 'EACCES':
    case 'EPERM':
      return new SessionLogError(
        'permission_denied',
        `${file} cannot be ${verb}: permission denied (${errno}); it or its folder is ${writing ? 'read-only' : 'unreadable'} for this user.`,
        details,
        writing
          ? `Make it writable for this user (e.g. chmod u+w on ${file} and its folder), or choose another knowledge base.`
          : `Make it readable for this user (e.g. chmod u+r on ${file}), or choose another knowledge base.`,
      );
    default:
      return new SessionLogError(
        'io_error',
        `${file} could not be ${verb}: ${error instanceof Error ? error.message : errno}.`,
        details,
        'Check the disk and the file, then try again.',
      );
  }
}

/** The message of what `check` throws; undefined when it passes (validation as the user types). */
export function failureOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

/** What `work` returns, or the message of what it throws. */
export function valueOrFailure<T>(work: () => T): T | string {
  try {
    return work();
  } catch (error) {
    return describeError(error);
  }
}
