/** Project detection through the bundled CLI. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { read, tempDir } from '../support/files';
import { git, gitInit } from '../support/git';
import { cli } from '../support/cli';

describe('project detection', () => {
  it('names a new entry through the CLI from the git remote', (t) => {
    const repo = gitInit(path.join(tempDir(t), 'checkout'));
    git(repo, ['remote', 'add', 'origin', 'git@github.com:org/Shiny.Tool.git']);
    const kb = tempDir(t);
    const result = cli(['log', '-m', 'hello', '-e', 'sessions.md', '--json'], { cwd: repo, env: { MEMEX_KB_ROOT: kb } });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).project, 'Shiny.Tool');
    assert.match(read(path.join(kb, 'sessions.md')), /^---\ntitle: Shiny\.Tool Sessions\ntags:\n {2}- shiny-tool\n {2}- sessions\n/);
  });
});
