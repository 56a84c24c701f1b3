/**
 * Many processes append to one entry at the same moment: every session lands exactly once,
 * whole, and a reader meanwhile only ever sees complete sessions.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { readCommitted } from '../../src/core/storage/entryFile';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { tempDir, write } from '../support/files';
import { baseEnv } from '../support/git';
import { checkIntact, LARGE } from '../support/intact';

const WORKER = path.join(__dirname, '../support/workers/appendWorker.js');
const WRITERS = 8;
const APPENDS = 100;

function runWorker(options: object): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(options)], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('concurrent writers', () => {
  it(
    `${WRITERS} processes x ${APPENDS} appends through the core: exactly ${WRITERS * APPENDS} sessions, each once and whole`,
    { timeout: 120_000 },
    async (t) => {
      const kbRoot = tempDir(t);
      write(path.join(kbRoot, '.kbcontext'), 'project: conc\nsession_entry: logs/sessions.md\n');
      const entry = path.join(kbRoot, 'logs/sessions.md');
      const startAt = Date.now() + 1500;
      const workers = Array.from({ length: WRITERS }, (_, writer) => runWorker({ kbRoot, writer, count: APPENDS, startAt, large: LARGE }));

      // A reader alongside the writers: whatever it reads parses, holds only whole sessions, and never shrinks.
      let done = false;
      const all = Promise.all(workers).finally(() => (done = true));
      // As the editor and the CLI read: lock-free, queueing for the lock when writers never pause.
      const deps = createNodeDeps({ env: { get: () => undefined, cwd: () => kbRoot }, logger: { info: () => undefined, warn: () => undefined } });
      let reads = 0;
      let last = 0;
      while (!done) {
        const text = await readCommitted(deps, entry);
        if (text !== undefined) {
          const seen = checkIntact(text, entry);
          const count = [...seen.values()].reduce((sum, list) => sum + list.length, 0);
          assert.ok(count >= last, `the entry went back from ${last} to ${count} sessions`);
          last = count;
          reads++;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const results = await all;
      for (const result of results) {
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('ack ')).length, APPENDS);
      }

      const text = fs.readFileSync(entry, 'utf8');
      const seen = checkIntact(text, entry);
      assert.equal(parseEntry(text).sessions.length, WRITERS * APPENDS);
      for (let writer = 0; writer < WRITERS; writer++) {
        assert.deepEqual(
          seen.get(writer),
          Array.from({ length: APPENDS }, (_, seq) => seq),
          `writer ${writer}: each append once, in its order`,
        );
      }
      assert.match(text, /^---\ntitle: conc Sessions\n/);
      assert.match(text, /\nupdated: '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'\n---\n/);
      assert.deepEqual(fs.readdirSync(path.dirname(entry)), ['sessions.md'], 'no lock or temporary file left');
      assert.ok(reads > 5, `the reader read ${reads} times while the writers worked`);
    },
  );
});
