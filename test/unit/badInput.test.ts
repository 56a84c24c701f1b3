/**
 * Text that would make an entry unreadable is refused by the core before anything is written,
 * with an error naming the field or parameter (the front ends: test/cli/badInput.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { decodeAppendActions, decodeAppendDialog, decodeCompleteTurn, decodeUpdateTurn } from '../../src/core/agent/inputs';
import { AgentSessions } from '../../src/core/agent/sessions';
import { isSessionLogError } from '../../src/core/errors';
import { binaryProblem } from '../../src/core/model/validate';
import { logSession } from '../../src/core/usecases/logSession';
import { tempDir, tempKb, write } from '../support/files';
import { coreDeps } from '../support/core';

function kb(t: TestContext): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
  return { root, entry: path.join(root, 'sessions.md') };
}

const SESSION = 'Codex-20260409T120000Z-binary';

describe('binary content', () => {
  it('is told from text: NUL, binary control characters and unpaired surrogates, not tabs, line breaks or colour escapes', () => {
    assert.match(binaryProblem('a\0b')!, /a NUL byte at character 2/);
    assert.match(binaryProblem('\u0001')!, /U\+0001/);
    assert.match(binaryProblem('x\uD800')!, /unpaired surrogate U\+D800/);
    assert.equal(binaryProblem('tab\there\r\nline\fpage \u001b[31mred\u001b[0m 😀 é'), undefined);
  });

  it('in any field of a logged session is refused by the core, naming the field, and nothing is written', async (t) => {
    const { root, entry } = kb(t);
    const deps = coreDeps({ cwd: root });
    const cases: [Parameters<typeof logSession>[1], RegExp][] = [
      [{ message: 'a\0b' }, /^message contains a NUL byte/],
      [{ message: 'ok', next: 'x\u0002' }, /^next contains the control character U\+0002/],
      [{ message: 'ok', files: ['a.ts', 'b\0.ts'] }, /^files\[1\] contains a NUL byte/],
      [{ message: 'ok', decisions: [{ decision: 'd', rationale: 'r\0' }] }, /^decisions\[0\]\.rationale/],
      [{ message: 'ok', followUps: ['\0'] }, /^followUps\[0\]/],
      [{ message: 'ok', tags: ['a\0'] }, /^tags\[0\]/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(
        logSession(deps, { ...input, cwd: root }),
        (error) => isSessionLogError(error) && error.code === 'invalid_input' && message.test(error.message),
      );
    }
    assert.ok(!fs.existsSync(entry));
  });

  it('in an agent operation is refused as invalid_parameter naming the parameter, and the session is unchanged', async (t) => {
    const { root } = tempKb(t);
    const deps = coreDeps({ cwd: root });
    const sessions = new AgentSessions(deps, { cwd: root });
    const { path: relative } = await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Binary' });
    await sessions.beginTurn({ queryTitle: 'First' });
    const file = path.join(root, relative);
    const before = fs.readFileSync(file, 'utf8');
    const refused = async (work: Promise<unknown>, field: string) =>
      assert.rejects(work, (error) => isSessionLogError(error) && error.code === 'invalid_parameter' && error.message.startsWith(`${field} contains`));
    // As every front end calls it: the params decoded, then the session written.
    await refused(
      (async () => sessions.appendDialog(decodeAppendDialog({ dialogItems: [{ role: 'tool', category: 'tool_result', content: 'PNG\0\0\u0001' }] })))(),
      'dialogItems[0].content',
    );
    await refused((async () => sessions.updateTurn(decodeUpdateTurn({ response: 'ok', contextList: ['a', 'b\0'] })))(), 'contextList[1]');
    await refused((async () => sessions.completeTurn(decodeCompleteTurn({ response: '\0' })))(), 'response');
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });
});

describe('misspelt fields inside items', () => {
  it('a dialog item, action or decision with a field it does not have is refused, naming it, and nothing is written', async (t) => {
    const { root } = tempKb(t);
    const sessions = new AgentSessions(coreDeps({ cwd: root }), { cwd: root });
    const { path: relative } = await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Fields' });
    await sessions.beginTurn({ queryTitle: 'First' });
    const before = fs.readFileSync(path.join(root, relative), 'utf8');
    await assert.rejects(
      (async () => sessions.appendActions(decodeAppendActions({ actions: [{ description: 'Edited', type: 'edit', filepath: 'src/a.ts' }] })))(),
      (error) =>
        isSessionLogError(error) &&
        error.code === 'invalid_parameter' &&
        /^actions\[0\]\.filepath is not a field of actions\[0\] \(did you mean filePath\?\)/.test(error.message),
    );
    await assert.rejects(
      (async () =>
        sessions.appendDialog(
          decodeAppendDialog({ dialogItems: [{ role: 'model', category: 'reasoning', content: 'x', timestmp: '2026-04-09T12:00:00Z' }] }),
        ))(),
      (error) => isSessionLogError(error) && /^dialogItems\[0\]\.timestmp .*did you mean timestamp\?/.test(error.message),
    );
    assert.equal(fs.readFileSync(path.join(root, relative), 'utf8'), before);
  });
});
