/**
 * The extension's workspace.fs port (remote and virtual workspaces) explains storage failures as
 * the node file system does: a FileSystemError's code, or the errno a provider put in its message,
 * becomes the same disk_full / permission_denied error naming the file and the fix. The mapping is
 * free of vscode; the port itself on a full disk is tested in the extension host (integration).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainStorageError, isSessionLogError, SessionLogError } from '../../src/core/errors';
import { errnoOfFileSystemError, withErrno } from '../../src/extension/fileSystemErrors';

describe("the extension's workspace.fs port (remote and virtual workspaces)", () => {
  /** A FileSystemError as workspace.fs throws it: its `code`, and a message that may carry the provider's errno. */
  const fsError = (code: string, message: string) => Object.assign(new Error(message), { name: `${code} (FileSystemError)`, code });
  const explained = (error: unknown, writing = true) => {
    const result = explainStorageError(withErrno(error), '/kb/projects/app/sessions.md', writing);
    assert.ok(isSessionLogError(result), `not explained: ${String(result)}`);
    return result;
  };

  it('maps FileSystemError codes and the errno in a provider message to the storage errors of a local disk', () => {
    const full = explained(fsError('Unknown', "ENOSPC: no space left on device, write '/kb/projects/app/sessions.md'"));
    assert.equal(full.code, 'disk_full');
    assert.match(full.message, /^The disk is full: \/kb\/projects\/app\/sessions\.md could not be written \(ENOSPC\)\.$/);
    assert.equal(explained(fsError('FileExceedsStorageQuota', 'Quota exceeded')).code, 'disk_full');
    const denied = explained(fsError('NoPermissions', 'Unable to write file (NoPermissions (FileSystemError))'));
    assert.equal(denied.code, 'permission_denied');
    assert.match(denied.message, /^\/kb\/projects\/app\/sessions\.md cannot be written: permission denied \(EACCES\)/);
    assert.match(denied.hint!, /chmod u\+w/);
    assert.match(explained(fsError('NoPermissions', 'denied'), false).hint!, /readable/);
    assert.equal(explained(fsError('FileWriteLocked', 'locked')).code, 'permission_denied');
    assert.match(explained(fsError('Unknown', 'EROFS: read-only file system, open')).message, /mounted read-only/);
    assert.equal(explained(fsError('Unavailable', 'gone')).code, 'io_error');
    assert.equal(explained(fsError('FileTooLarge', 'too large')).code, 'io_error');
  });

  it('leaves alone what the port handles itself (not found, exists) and errors already explained', () => {
    for (const code of ['FileNotFound', 'FileExists', 'FileIsADirectory', 'FileNotADirectory', 'Unknown']) {
      assert.equal(errnoOfFileSystemError(fsError(code, `${code} happened`)), undefined, code);
      const error = fsError(code, 'x');
      assert.equal(withErrno(error), error);
    }
    const done = new SessionLogError('permission_denied', '/kb/a.md cannot be written: permission denied (EACCES).');
    assert.equal(withErrno(done), done, 'an explained error is not explained again under another file');
    assert.equal(errnoOfFileSystemError(undefined), undefined);
  });
});
