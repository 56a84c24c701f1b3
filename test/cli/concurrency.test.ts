/** Concurrent writers through the bundled CLI: processes racing to create one entry lose nothing. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, write } from '../support/files';
import { cliAsync } from '../support/cli';
import { messageFor } from '../support/workers/payload';
import { checkIntact, LARGE } from '../support/intact';

describe('concurrent writers', () => {
  it('8 CLI processes at once, on an entry that does not exist yet: one creates it, none is lost', { timeout: 120_000 }, async (t) => {
    const kbRoot = tempDir(t);
    write(path.join(kbRoot, '.kbcontext'), 'project: cli-conc\nprimary: p\n');
    const rounds = 4;
    const chains = Array.from({ length: 8 }, async (_, writer) => {
      const actions: string[] = [];
      for (let seq = 0; seq < rounds; seq++) {
        const result = await cliAsync(['log', '--stdin', '--tags', `w${writer}`, '--json'], { cwd: kbRoot, input: messageFor(writer, seq, LARGE) });
        assert.equal(result.status, 0, result.stderr);
        actions.push(JSON.parse(result.stdout).action);
      }
      return actions;
    });
    const actions = (await Promise.all(chains)).flat();
    assert.equal(actions.filter((action) => action === 'created').length, 1);
    const entry = path.join(kbRoot, 'p/sessions.md');
    const seen = checkIntact(fs.readFileSync(entry, 'utf8'), entry);
    for (let writer = 0; writer < 8; writer++) {
      assert.deepEqual(
        seen.get(writer),
        Array.from({ length: rounds }, (_, seq) => seq),
      );
    }
    assert.deepEqual(fs.readdirSync(path.dirname(entry)), ['sessions.md']);
  });
});
