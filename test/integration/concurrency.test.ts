/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseEntry } from '../../src/core/format/parse';
import { logSession } from '../../src/core/usecases/logSession';
import { WorkspaceFileSystem } from '../../src/extension/workspaceFs';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { cli, entryIn, read, tempDir, useSuiteKnowledgeBase, workspaceFolder } from './helpers';

describe('concurrent writers', function () {
  this.timeout(120_000);
  let kb: string;

  useSuiteKnowledgeBase('sessionlog-concurrency-', (root) => (kb = root));

  it('lose nothing: the extension and CLI processes append to one entry at the same moment', async () => {
    const cwd = workspaceFolder().uri.fsPath;
    const fromExtension = Array.from({ length: 24 }, (_, i) => `extension write ${i}`);
    const lanes = 4;
    const perLane = 8;
    const fromCli = Array.from({ length: lanes }, (_, lane) => Array.from({ length: perLane }, (_, i) => `cli lane ${lane} write ${i}`));
    await Promise.all([
      ...fromExtension.map((text) => vscode.commands.executeCommand('sessionlog.quickLog', text)),
      ...fromCli.map(async (lane) => {
        for (const text of lane) await cli(['log', '-m', text], { cwd, env: { MEMEX_KB_ROOT: kb } });
      }),
    ]);
    const text = read(entryIn(kb));
    const messages = parseEntry(text).sessions.map((session) => session.message);
    const expected = [...fromExtension, ...fromCli.flat()];
    assert.equal(messages.length, expected.length, `${messages.length} sessions instead of ${expected.length}`);
    assert.deepEqual([...messages].sort(), [...expected].sort());
    for (const lane of fromCli) {
      const order = lane.map((message) => messages.indexOf(message));
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        "one writer's sessions are out of order",
      );
    }
    assert.deepEqual(
      fs.readdirSync(path.dirname(entryIn(kb))).filter((name) => name !== 'sessions.md'),
      [],
      'a lock or temporary file was left behind',
    );
  });

  it('the workspace.fs file system (remote and virtual folders) keeps the same protocol', async () => {
    const dir = tempDir('sessionlog-wsfs-');
    fs.writeFileSync(path.join(dir, '.kbcontext'), 'project: remote\nprimary: projects/remote\n');
    const wsfs = new WorkspaceFileSystem(vscode.Uri.file(dir));
    const deps = createNodeDeps({ fs: wsfs, env: { get: () => undefined, cwd: () => dir } });
    const writes = Array.from({ length: 12 }, (_, i) => `workspace.fs write ${i}`);
    await Promise.all(writes.map((message) => logSession(deps, { cwd: dir, message, tags: ['wsfs'] })));
    const file = path.join(dir, 'projects', 'remote', 'sessions.md');
    const sessions = parseEntry(read(file)).sessions;
    assert.deepEqual(sessions.map((session) => session.message).sort(), [...writes].sort());
    assert.ok(sessions.every((session) => session.tags.includes('wsfs')));
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['sessions.md']);

    // Exclusive create: the second writer is told the lock is taken, and the record is the first one's.
    const lock = path.join(dir, 'x.lock');
    assert.equal(await wsfs.createExclusive(lock, 'first'), true);
    assert.equal(await wsfs.createExclusive(lock, 'second'), false);
    assert.equal(read(lock), 'first');
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => wsfs.createExclusive(path.join(dir, 'y.lock'), `writer ${i}`)));
    assert.equal(racing.filter(Boolean).length, 1);

    // In-place operations replace the file whole.
    await wsfs.writeAtomic(path.join(dir, 'a.txt'), 'hello world');
    await wsfs.patch(path.join(dir, 'a.txt'), 6, 'WORLD');
    await wsfs.appendAt(path.join(dir, 'a.txt'), 5, '!');
    assert.equal(read(path.join(dir, 'a.txt')), 'hello!');
    await wsfs.truncate(path.join(dir, 'a.txt'), 4);
    assert.equal(read(path.join(dir, 'a.txt')), 'hell');
    assert.deepEqual(new TextDecoder().decode(await wsfs.readRange(path.join(dir, 'a.txt'), 1, 2)), 'el');
    assert.equal(await wsfs.readText(path.join(dir, 'missing.txt')), undefined);
    assert.equal(await wsfs.stat(path.join(dir, 'missing.txt')), undefined);
    assert.deepEqual(await wsfs.list(path.join(dir, 'missing')), []);
  });

  it('the workspace.fs file system says a full disk is full and names the entry, as the node one does', async function () {
    const dir = tempDir('sessionlog-wsfs-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'pipe' });
    } catch {
      // Mounting a small disk needs root: shown as pending.
      return this.skip();
    }
    try {
      fs.writeFileSync(path.join(dir, '.kbcontext'), 'project: remote\nsession_entry: sessions.md\n');
      const deps = createNodeDeps({ fs: new WorkspaceFileSystem(vscode.Uri.file(dir)), env: { get: () => undefined, cwd: () => dir } });
      await logSession(deps, { cwd: dir, message: 'First' });
      const entry = path.join(dir, 'sessions.md');
      const before = read(entry);
      const filler = fs.openSync(path.join(dir, 'filler'), 'w');
      try {
        for (;;) fs.writeSync(filler, Buffer.alloc(4096, 0x61));
      } catch {
        // The disk is full.
      } finally {
        fs.closeSync(filler);
      }
      const error = await logSession(deps, { cwd: dir, message: 'Second' }).then(
        () => undefined,
        (failure: unknown) => failure as { code?: string; message?: string },
      );
      assert.equal(error?.code, 'disk_full', `not explained: ${String(error?.message)}`);
      assert.match(error.message ?? '', /sessions\.md cannot be written: The disk is full: .*\(ENOSPC\)/);
      assert.equal(read(entry), before, 'the entry is as it was');
      assert.deepEqual(
        fs.readdirSync(dir).filter((name) => /\.tmp$|\.lock$/.test(name)),
        [],
        'no temporary or lock file left',
      );
    } finally {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    }
  });
});
