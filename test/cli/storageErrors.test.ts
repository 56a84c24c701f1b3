/**
 * Storage failures explained: a full disk (a small tmpfs) says the disk is full and names the
 * entry, leaves the entry as it was and no temporary or lock file behind; a read-only file system
 * (a read-only bind mount) and a folder this user may not write (run as `nobody`) say so, name it
 * and say what would fix it. Through the bundled CLI and the MCP server. These need root (to
 * mount, and to run as another user); where the machine does not allow it they are skipped with
 * the reason.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CLI } from '../support/paths';
import { read, write } from '../support/files';
import { baseEnv } from '../support/git';
import { cli } from '../support/cli';
import { McpConnection } from '../support/mcp';

/** A fresh tmpfs of `size` mounted for the test, or the reason there is none. */
function smallDisk(t: TestContext, size: string): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    t.skip(`cannot mount a small tmpfs here (${(error as Error).message.split('\n')[0]}); run as root to test a full disk`);
    return undefined;
  }
  t.after(() => {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    fs.rmdirSync(dir);
  });
  return dir;
}

/** Fills the disk `dir` is on to the last byte. */
function fill(dir: string): void {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(4096, 0x61));
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
}

/** What the knowledge base holds besides the filler. */
function leftovers(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => /\.tmp$|\.lock$/.test(name));
}

describe('a full disk', () => {
  it('the CLI says the disk is full and names the entry; the entry is as it was, no .tmp or lock left', (t) => {
    const root = smallDisk(t, '256k');
    if (!root) return;
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
    const entry = path.join(root, 'sessions.md');
    assert.equal(cli(['log', '-m', 'First'], { cwd: root }).status, 0);
    assert.equal(cli(['log', '-m', 'Second'], { cwd: root }).status, 0);
    const before = read(entry);
    fill(root);
    const run = cli(['log', '-m', `Third ${'x'.repeat(20_000)}`], { cwd: root });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /The disk is full/);
    assert.match(run.stderr, /sessions\.md/);
    assert.doesNotMatch(run.stderr, /^Error: ENOSPC|internal/m);
    assert.equal(read(entry).trimEnd(), before.trimEnd(), 'the entry is what it was');
    assert.deepEqual(leftovers(root), []);
    // A new entry on the full disk: its temporary file is not left behind either.
    const second = cli(['log', '-m', `New ${'y'.repeat(20_000)}`, '--entry', 'other/new.md'], { cwd: root });
    assert.equal(second.status, 1);
    assert.match(second.stderr, /The disk is full/);
    assert.deepEqual(leftovers(root), []);
  });

  it('MCP reports disk_full (a storage code, not internal_error) for log and for an agent session write', { timeout: 60_000 }, async (t) => {
    const root = smallDisk(t, '256k');
    if (!root) return;
    write(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
    const mcp = await McpConnection.start(t, root);
    await mcp.ok('log', { message: 'First' });
    await mcp.ok('openSession', { agent: 'Codex', sessionId: 'Codex-20260409T120000Z-full', title: 'Full disk' });
    await mcp.ok('beginTurn', { queryTitle: 'First' });
    fill(root);
    const log = await mcp.fails('log', { message: `Big ${'x'.repeat(20_000)}` });
    assert.equal(log.code, 'disk_full', JSON.stringify(log));
    assert.match(log.message, /The disk is full/);
    const dialog = await mcp.fails('appendDialog', { dialogItems: [{ role: 'tool', category: 'tool_result', content: 'z'.repeat(20_000) }] });
    assert.equal(dialog.code, 'disk_full', JSON.stringify(dialog));
    assert.match(dialog.message, /Codex-20260409T120000Z-full\.md/);
    assert.deepEqual(leftovers(root), []);
    fs.rmSync(path.join(root, 'filler'));
    const session = await mcp.ok('getSession', { sessionId: 'Codex-20260409T120000Z-full' });
    assert.equal(JSON.stringify(session).includes('zzzz'), false, 'no torn dialog item is read back');
  });
});

describe('a knowledge base that cannot be written', () => {
  it('on a read-only file system: says so, names the entry and what would fix it', (t) => {
    const root = smallDisk(t, '256k');
    if (!root) return;
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
    assert.equal(cli(['log', '-m', 'First'], { cwd: root }).status, 0);
    try {
      execFileSync('mount', ['-o', 'remount,ro', root], { stdio: 'pipe' });
    } catch (error) {
      t.skip(`cannot remount read-only here (${(error as Error).message.split('\n')[0]})`);
      return;
    }
    const run = cli(['log', '-m', 'Second'], { cwd: root });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /sessions\.md.*read-only/);
    assert.match(run.stderr, /Remount it read-write/);
    assert.doesNotMatch(run.stderr, /EROFS: read-only file system, open/);
  });

  it('a folder this user may not write (run as nobody): permission denied, named, with the fix', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run the CLI as the unprivileged user nobody');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-readonly-'));
    t.after(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.chmodSync(root, 0o755);
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
    assert.equal(cli(['log', '-m', 'First'], { cwd: root }).status, 0);
    const run = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, CLI, 'log', '-m', 'Second'], {
      cwd: root,
      env: baseEnv({ HOME: root }),
      encoding: 'utf8',
    });
    if (run.error) return t.skip(`setpriv is not available (${run.error.message})`);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /sessions\.md.*permission denied/);
    assert.match(run.stderr, /chmod u\+w/);
    assert.doesNotMatch(run.stderr, /EACCES: permission denied, open/);
    assert.doesNotMatch(read(path.join(root, 'sessions.md')), /Second/);
  });
});
