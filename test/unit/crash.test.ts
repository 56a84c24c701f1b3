/**
 * A writer killed with SIGKILL at any moment never leaves an entry that does not parse, never
 * loses an append it acknowledged, and the next writer cleans up after it.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { lockPathOf } from '../../src/core/storage/lock';
import { undoRecordFor } from '../../src/core/storage/undo';
import { readCommitted } from '../../src/core/storage/entryFile';
import { logSession } from '../../src/core/usecases/logSession';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { read, tempDir, write } from '../support/files';
import { baseEnv } from '../support/git';
import { coreDeps, deadPid, sleep } from '../support/core';
import { identify, messageFor } from '../support/workers/payload';

const WORKER = path.join(__dirname, '../support/workers/appendWorker.js');
const KILLS = 36;
const LARGE = 96 * 1024;

interface Run {
  acks: string[];
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts a writer that appends until killed; kills it `delay` ms after it prints `after` (ready, or its first ack). */
function killedWriter(kbRoot: string, writer: number, after: 'ready' | 'ack', delay: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify({ kbRoot, writer, count: 0, large: LARGE })], {
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!timer && stdout.includes(after === 'ready' ? 'ready\n' : `ack ${writer} 0\n`)) timer = setTimeout(() => child.kill('SIGKILL'), delay);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      // Only whole lines count: an ack cut by the kill was never given.
      const acks = stdout
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.startsWith('ack '));
      resolve({ acks, status, signal, stderr });
    });
  });
}

/** Parses the committed entry and checks every session is whole, known and unique; returns their ids. */
function sessionsOf(text: string, file: string): Set<string> {
  const ids = new Set<string>();
  for (const session of parseEntry(text, file).sessions) {
    const id = identify(session.message);
    assert.ok(id, `a session no writer wrote: ${JSON.stringify(session.message.slice(0, 120))}`);
    assert.equal(session.message, messageFor(id.writer, id.seq, LARGE), `session ${id.writer}/${id.seq} is whole`);
    const key = `${id.writer} ${id.seq}`;
    assert.ok(!ids.has(key), `session ${key} appears twice`);
    ids.add(key);
  }
  return ids;
}

describe('crashes', () => {
  it(`a writer killed at random moments ${KILLS} times: the entry always parses and keeps every acknowledged append`, { timeout: 110_000 }, async (t) => {
    const kbRoot = tempDir(t);
    write(path.join(kbRoot, '.kbcontext'), 'project: crash\nsession_entry: crash/sessions.md\n');
    const entry = path.join(kbRoot, 'crash/sessions.md');
    const deps = { fs: new NodeFileSystem() };
    const acked = new Set<string>();
    let staleLocks = 0;
    let tornTails = 0;
    let appendsKilled = 0;
    let waited = 0;

    for (let run = 0; run < KILLS; run++) {
      // Mostly after some appends; sometimes at once (during the first lock, or the stale-lock recovery).
      const early = run % 6 === 0;
      const result = await killedWriter(kbRoot, run, early ? 'ready' : 'ack', Math.floor(Math.random() * (early ? 5 : 100)));
      if (!early) waited++;
      assert.equal(result.signal, 'SIGKILL', `writer ${run} should have been killed, it ended with ${result.status}: ${result.stderr}`);
      for (const ack of result.acks) acked.add(ack.slice(4));

      const text = await readCommitted(deps, entry);
      if (text === undefined) {
        assert.equal(acked.size, 0, 'the entry is gone after acknowledged appends');
        continue;
      }
      const ids = sessionsOf(text, entry);
      for (const id of acked) assert.ok(ids.has(id), `acknowledged append ${id} is missing after kill ${run}`);
      const lock = fs.existsSync(lockPathOf(entry)) ? fs.readFileSync(lockPathOf(entry), 'utf8') : undefined;
      if (lock !== undefined) {
        staleLocks++;
        const record = /"size":(\d+)/.exec(lock);
        if (record && fs.statSync(entry).size > Number(record[1])) tornTails++;
        if (/"size":/.test(lock)) appendsKilled++;
      }
    }

    // One more writer, left to finish: it recovers whatever lock the last kill left, and the file itself is clean.
    const finalDeps = coreDeps({ cwd: kbRoot, env: { MEMEX_KB_ROOT: kbRoot } });
    await logSession(finalDeps, { message: messageFor(9999, 0, LARGE), tags: ['w9999'], redact: false, cwd: kbRoot });
    assert.ok(!fs.existsSync(lockPathOf(entry)), 'no lock left');
    const ids = sessionsOf(read(entry), entry);
    for (const id of acked) assert.ok(ids.has(id), `acknowledged append ${id} is missing at the end`);
    assert.ok(ids.has('9999 0'));
    assert.ok(acked.size >= waited, `the writers acknowledged ${acked.size} appends in ${KILLS} runs`);
    assert.deepEqual(fs.readdirSync(path.dirname(entry)).sort(), ['sessions.md']);
    t.diagnostic(
      `${acked.size} acknowledged appends, ${ids.size} sessions; ${staleLocks} kills left a lock, ${appendsKilled} mid-append, ${tornTails} with a torn tail`,
    );
  });

  it('an append left by a dead writer under its lock is hidden from readers and cut off by the next writer', async (t) => {
    const kbRoot = tempDir(t);
    write(path.join(kbRoot, '.kbcontext'), 'project: torn\nsession_entry: s.md\n');
    const entry = path.join(kbRoot, 's.md');
    const deps = coreDeps({ cwd: kbRoot, now: '2026-01-11T10:30:00Z' });
    await logSession(deps, { message: 'one', cwd: kbRoot });
    await logSession(deps, { message: 'two', cwd: kbRoot });
    const committed = read(entry);
    const size = fs.statSync(entry).size;
    // What a writer killed before it released its lock leaves: the lock with its undo record, and its section.
    const pid = deadPid();
    const section = '\n\n## 2026-01-11 10:31 UTC\n\nnever acknowledged\n';
    write(lockPathOf(entry), JSON.stringify({ pid, host: os.hostname(), acquired: Date.now(), ...undoRecordFor(size, section) }));
    fs.appendFileSync(entry, section);

    assert.equal(await readCommitted({ fs: new NodeFileSystem() }, entry), committed);
    const result = await logSession(coreDeps({ cwd: kbRoot, now: '2026-01-11T10:32:00Z' }), { message: 'three', cwd: kbRoot });
    assert.equal(result.action, 'appended');
    assert.deepEqual(
      parseEntry(read(entry)).sessions.map((s) => s.message),
      ['one', 'two', 'three'],
    );
    assert.equal(read(entry), `${committed.replace("updated: '2026-01-11T10:30:00'", "updated: '2026-01-11T10:32:00'")}\n## 2026-01-11 10:32 UTC\n\nthree\n`);
    assert.ok(!fs.existsSync(lockPathOf(entry)));
  });

  it('a live writer holding the lock is waited for, not broken', async (t) => {
    const kbRoot = tempDir(t);
    write(path.join(kbRoot, '.kbcontext'), 'project: live\nsession_entry: s.md\n');
    const entry = path.join(kbRoot, 's.md');
    await logSession(coreDeps({ cwd: kbRoot }), { message: 'one', cwd: kbRoot });
    write(lockPathOf(entry), JSON.stringify({ pid: process.pid, host: os.hostname(), acquired: Date.now(), size: fs.statSync(entry).size }));
    const pending = logSession(coreDeps({ cwd: kbRoot }), { message: 'two', cwd: kbRoot });
    await sleep(300);
    assert.deepEqual(
      parseEntry(read(entry)).sessions.map((s) => s.message),
      ['one'],
      'nothing written while the lock is held',
    );
    fs.rmSync(lockPathOf(entry));
    await pending;
    assert.deepEqual(
      parseEntry(read(entry)).sessions.map((s) => s.message),
      ['one', 'two'],
    );
  });
});
