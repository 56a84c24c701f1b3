import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { undoRecordFor } from '../../src/core/storage/undo';
import { git } from '../support/git';
import { deadPid } from '../support/core';
import { cli, cliAsync } from '../support/cli';

describe('team knowledge base over git', () => {
  let root: string;
  let remote: string;
  let cloneA: string;
  let cloneB: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-sync-'));
    remote = path.join(root, 'team.git');
    git(root, ['init', '-q', '--bare', '-b', 'main', remote]);
    cloneA = path.join(root, 'a');
    cloneB = path.join(root, 'b');
    git(root, ['clone', '-q', remote, cloneA]);
    for (const clone of [cloneA]) {
      git(clone, ['config', 'user.email', 'a@example.com']);
      git(clone, ['config', 'user.name', 'A']);
    }
    const init = cli(['init', '--project', 'team', '--primary', 'projects/team'], { cwd: cloneA });
    assert.equal(init.status, 0, init.stderr);
    assert.match(fs.readFileSync(path.join(cloneA, '.gitattributes'), 'utf8'), /^sessions\.md merge=sessionlog$/m);
    assert.match(git(cloneA, ['config', 'merge.sessionlog.driver']), / merge-driver %O %A %B %P$/, 'init sets up the merge driver in this clone');
    assert.equal(cli(['log', '-m', 'First session'], { cwd: cloneA }).status, 0);
    const first = cli(['sync'], { cwd: cloneA });
    assert.equal(first.status, 0, first.stderr);
    git(root, ['clone', '-q', remote, cloneB]);
    git(cloneB, ['config', 'user.email', 'b@example.com']);
    git(cloneB, ['config', 'user.name', 'B']);
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('merges concurrent appends to one entry from two clones without conflicts', async () => {
    const messages = { a: ['A one', 'A two', 'A three'], b: ['B one', 'B two'] };
    await Promise.all([
      (async () => {
        for (const m of messages.a) assert.equal((await cliAsync(['log', '-m', m], { cwd: cloneA })).status, 0);
      })(),
      (async () => {
        for (const m of messages.b) assert.equal((await cliAsync(['log', '-m', m], { cwd: cloneB })).status, 0);
      })(),
    ]);
    for (const clone of [cloneA, cloneB, cloneA]) {
      const result = cli(['sync'], { cwd: clone });
      assert.equal(result.status, 0, `sync in ${path.basename(clone)}: ${result.stderr}`);
    }
    const entries = [cloneA, cloneB].map((clone) => fs.readFileSync(path.join(clone, 'projects/team/sessions.md'), 'utf8'));
    assert.equal(entries[0], entries[1], 'both clones end with the same entry');
    const sessions = parseEntry(entries[0]!, 'sessions.md').sessions.map((session) => session.message);
    assert.deepEqual([...sessions].sort(), ['First session', ...messages.a, ...messages.b].sort());
    assert.equal(git(cloneA, ['status', '--porcelain']), '', 'nothing left uncommitted');
    assert.equal(cli(['log', '-m', 'After the merge'], { cwd: cloneA }).status, 0, 'the merged entry takes new appends');
    assert.equal(parseEntry(fs.readFileSync(path.join(cloneA, 'projects/team/sessions.md'), 'utf8')).sessions.length, 7);
  });

  it('explains a knowledge base with no remote', () => {
    const lonely = path.join(root, 'lonely');
    fs.mkdirSync(lonely);
    git(lonely, ['init', '-q']);
    assert.equal(cli(['init', '--project', 'x'], { cwd: lonely }).status, 0);
    const result = cli(['sync'], { cwd: lonely });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /has no git remote.*git remote add origin/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('explains a knowledge base that is not a git repository', () => {
    const plain = path.join(root, 'plain');
    fs.mkdirSync(plain);
    assert.equal(cli(['init', '--project', 'x'], { cwd: plain }).status, 0);
    const result = cli(['sync'], { cwd: plain });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /not in a git repository.*git init/);
  });

  it('explains an unreachable remote and keeps the sessions committed locally', () => {
    const clone = path.join(root, 'c');
    git(root, ['clone', '-q', remote, clone]);
    git(clone, ['remote', 'set-url', 'origin', path.join(root, 'gone.git')]);
    assert.equal(cli(['log', '-m', 'Offline session'], { cwd: clone }).status, 0);
    const result = cli(['sync'], { cwd: clone });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /committed locally/);
    assert.match(git(clone, ['log', '-1', '--name-only', '--pretty=format:']), /sessions\.md/);
  });
});

/** A clone of `remote` in `root`/`name`, with its own identity (`a` commits as A). */
function cloneOf(root: string, remote: string, name: string): string {
  const clone = path.join(root, name);
  git(root, ['clone', '-q', remote, clone]);
  git(clone, ['config', 'user.email', `${name}@example.com`]);
  git(clone, ['config', 'user.name', name.toUpperCase()]);
  return clone;
}

/** A bare team repository and a first clone where `sessionlog init` has run; removed after the test. */
function teamRepository(t: TestContext, prefix: string): { root: string; remote: string; clone: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const remote = path.join(root, 'team.git');
  git(root, ['init', '-q', '--bare', '-b', 'main', remote]);
  const clone = cloneOf(root, remote, 'a');
  assert.equal(cli(['init', '--project', 'team', '--primary', 'projects/team'], { cwd: clone }).status, 0);
  return { root, remote, clone };
}

describe('sync after a writer crashed mid-append', () => {
  it('commits the entry as it was before the torn append, and clears the abandoned lock', (t) => {
    const { remote, clone } = teamRepository(t, 'sessionlog-sync-crash-');
    assert.equal(cli(['log', '-m', 'Whole session'], { cwd: clone }).status, 0);
    const entry = path.join(clone, 'projects/team/sessions.md');
    const committed = fs.statSync(entry).size;
    // What a writer killed before it released its lock leaves: its section, and its lock with the undo record.
    const section = '\n\n## 2026-01-01 10:00 UTC\n\nHalf a session, never acknowledged\n';
    fs.appendFileSync(entry, section);
    fs.writeFileSync(`${entry}.lock`, JSON.stringify({ pid: deadPid(), host: os.hostname(), acquired: Date.now(), ...undoRecordFor(committed, section) }));

    const result = cli(['sync'], { cwd: clone });
    assert.equal(result.status, 0, result.stderr);
    const pushed = git(remote, ['show', 'main:projects/team/sessions.md']);
    assert.doesNotMatch(pushed, /Half a sess/);
    assert.deepEqual(
      parseEntry(pushed, 'sessions.md').sessions.map((session) => session.message),
      ['Whole session'],
    );
    assert.doesNotMatch(fs.readFileSync(entry, 'utf8'), /Half a sess/);
    assert.ok(!fs.existsSync(`${entry}.lock`), 'the abandoned lock is gone');
  });

  it('leaves other .lock files alone (a yarn.lock is not a session lock)', (t) => {
    const { clone } = teamRepository(t, 'sessionlog-sync-yarn-');
    fs.mkdirSync(path.join(clone, 'snippets'));
    fs.writeFileSync(path.join(clone, 'snippets/yarn.lock'), '# yarn lockfile v1\n');
    fs.utimesSync(path.join(clone, 'snippets/yarn.lock'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const result = cli(['sync'], { cwd: clone });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(fs.readFileSync(path.join(clone, 'snippets/yarn.lock'), 'utf8'), '# yarn lockfile v1\n');
  });
});

describe('sync that meets a conflict', () => {
  it('names the conflicting file, undoes the rebase and keeps the local commit', (t) => {
    const { root, remote, clone: first } = teamRepository(t, 'sessionlog-sync-conflict-');
    assert.equal(cli(['sync'], { cwd: first }).status, 0);
    const clones = [first, cloneOf(root, remote, 'b')];
    // A note (not a session entry, which would merge) written differently in both clones.
    for (const [index, clone] of clones.entries()) {
      fs.mkdirSync(path.join(clone, 'notes'), { recursive: true });
      fs.writeFileSync(path.join(clone, 'notes/plan.md'), `# Plan\n\nOwned by clone ${index}\n`);
    }
    assert.equal(cli(['sync'], { cwd: clones[0]! }).status, 0);

    const result = cli(['sync'], { cwd: clones[1]! });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Conflicting: notes\/plan\.md/);
    assert.match(result.stderr, /committed locally and nothing was lost/);
    assert.equal(git(clones[1]!, ['status', '--porcelain']), '', 'the rebase was undone, the work tree is clean');
    assert.equal(fs.readFileSync(path.join(clones[1]!, 'notes/plan.md'), 'utf8'), '# Plan\n\nOwned by clone 1\n');
    assert.match(git(clones[1]!, ['log', '-1', '--name-only', '--pretty=format:%s']), /^Session Log: sessions from .*\nnotes\/plan\.md$/);
  });
});

describe('sync refused by the remote', () => {
  it('explains an authentication failure and keeps the sessions committed locally', async (t) => {
    // A git server over HTTP that wants credentials nobody has.
    const server = http.createServer((_request, response) => {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="team"' });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => server.close());
    const { clone } = teamRepository(t, 'sessionlog-sync-auth-');
    assert.equal(cli(['sync'], { cwd: clone }).status, 0);
    git(clone, ['remote', 'set-url', 'origin', `http://127.0.0.1:${(server.address() as { port: number }).port}/team.git`]);
    assert.equal(cli(['log', '-m', 'Logged before the token expired'], { cwd: clone }).status, 0);

    const result = await cliAsync(['sync'], { cwd: clone });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /could not authenticate with the remote: check your credentials/);
    assert.match(git(clone, ['log', '-1', '--name-only', '--pretty=format:']), /sessions\.md/);
  });
});
