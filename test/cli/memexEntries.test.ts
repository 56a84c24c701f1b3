/** A session entry the bundled CLI writes, new and appended to, is a valid memex entry. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { memexEntryProblems } from '../support/memexEntry';
import { read, tempDir, write } from '../support/files';
import { cli } from '../support/cli';

function assertMemexEntry(file: string, when: string): string {
  const text = read(file);
  assert.deepEqual(memexEntryProblems(text), [], `${path.basename(file)} ${when} is not a valid memex entry:\n${text.slice(0, 900)}`);
  return text;
}

describe('every file Session Log writes is a valid memex entry', () => {
  it('a session entry, new and appended to, through the CLI', (t) => {
    const root = tempDir(t);
    write(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
    for (const message of ['First', 'Second']) {
      const run = cli(['log', '-m', message, '--tags', 'x'], { cwd: root });
      assert.equal(run.status, 0, run.stderr);
      assertMemexEntry(path.join(root, 'projects/demo/sessions.md'), `after logging '${message}'`);
    }
  });
});
