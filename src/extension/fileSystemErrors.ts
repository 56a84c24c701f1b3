import { SessionLogError, STORAGE_FAULTS } from '../core/errors';

/**
 * What a `vscode.FileSystemError` (or a provider's error) from `vscode.workspace.fs` stands for, as
 * the errno the core explains (a full disk, a read-only file or folder): the same wording as
 * the node file system's, naming the file and the fix. Kept free of `vscode` so it is tested in plain node.
 */
const CODES: Record<string, string> = {
  NoPermissions: 'EACCES',
  // A file VS Code holds read-only (files.readonlyInclude, a locked file): denied, as a read-only file is.
  FileWriteLocked: 'EPERM',
  FileExceedsStorageQuota: 'EDQUOT',
  FileTooLarge: 'EFBIG',
  Unavailable: 'EIO',
};

/** The errnos a provider passes through in its message (`ENOSPC: no space left on device, write (Unknown)`). */
const ERRNO_IN_MESSAGE = new RegExp(`\\b(${[...STORAGE_FAULTS].join('|')})\\b`);

/** The errno `error` stands for, when it is a storage fault a user can fix; undefined otherwise. */
export function errnoOfFileSystemError(error: unknown): string | undefined {
  const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const inMessage = typeof message === 'string' ? ERRNO_IN_MESSAGE.exec(message)?.[1] : undefined;
  if (inMessage) return inMessage;
  // FileSystemError's `code`; a provider's error that crossed from another process may carry it as `name`, `NoPermissions (FileSystemError)`.
  for (const value of [code, name]) {
    const key = typeof value === 'string' ? /^\w+/.exec(value)?.[0] : undefined;
    if (key && CODES[key]) return CODES[key];
  }
  return undefined;
}

/** `error` with the errno it stands for as its `code` (what the core's storage errors read), its message kept. */
export function withErrno(error: unknown): unknown {
  if (error instanceof SessionLogError) return error;
  const errno = errnoOfFileSystemError(error);
  if (!errno) return error;
  return Object.assign(new Error(error instanceof Error ? error.message : String(error)), { code: errno });
}
