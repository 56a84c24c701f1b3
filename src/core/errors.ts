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
