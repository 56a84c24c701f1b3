/**
 * The agent session write path on files of unusual shape: a last turn far larger than one
 * read from the end, a frontmatter larger than the first read, request ids quoted in text,
 * and a write cut short by a crash.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { turnLines } from '../../src/core/agent/format';
import { AgentSessions } from '../../src/core/agent/sessions';
import { isSessionLogError } from '../../src/core/errors';
import { undoRecordFor } from '../../src/core/storage/undo';
import { createNodeDeps } from '../../src/node/nodeDeps';

const SESSION = 'Codex-20260409T120000Z-shapes';

function setup(t: TestContext): { sessions: () => AgentSessions; file: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-agent-shapes-')));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
  const deps = createNodeDeps({ env: { get: () => undefined, cwd: () => root }, logger: { info: () => undefined, warn: () => undefined } });
  return { sessions: () => new AgentSessions(deps, { cwd: root }), file: path.join(root, 'projects/demo/agent-sessions', `${SESSION}.md`) };
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (isSessionLogError(error)) return error.code;
    throw error;
  }
}

describe('agent session files of unusual shape', () => {
  it('finds a last turn far larger than one read from the end', async (t) => {
    const { sessions: make, file } = setup(t);
    const sessions = make();
    await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Big turns' });
    await sessions.beginTurn({ requestId: 'req-20260409T120000Z-first', queryTitle: 'First' });
    await sessions.completeTurn({});
    await sessions.beginTurn({ requestId: 'req-20260409T120001Z-huge', queryTitle: 'Huge' });
    const chunk = `${'x'.repeat(99)}\n`.repeat(400);
    for (let i = 0; i < 12; i++) await sessions.appendDialog({ dialogItems: [{ role: 'tool', category: 'tool_result', content: `${i}\n${chunk}` }] });
    assert.ok(fs.statSync(file).size > 4 * 64 * 1024 + 64 * 1024, 'the last turn spans several reads from the end');
    const updated = await sessions.updateTurn({ response: 'still found' });
    assert.equal(updated.turnRequestId, 'req-20260409T120001Z-huge');
    await sessions.completeTurn({});
    assert.equal(await code(sessions.updateTurn({})), 'turn_immutable');
    assert.equal(await code(sessions.beginTurn({ requestId: 'req-20260409T120000Z-first', queryTitle: 'Again' })), 'turn_already_exists');
    const session = await make().getSession({ sessionId: SESSION });
    assert.equal(session.turns.length, 2);
    assert.equal(session.turns[1]!.dialog.length, 12);
    assert.equal(session.turns[1]!.dialog[11]!.content, `11\n${chunk}`);
    assert.equal(session.turns[1]!.response, 'still found');
  });

  it('keeps working when the frontmatter outgrows its padding and the first read', async (t) => {
    const { sessions: make, file } = setup(t);
    const sessions = make();
    await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Many files' });
    await sessions.beginTurn({ requestId: 'req-20260409T120000Z-files', queryTitle: 'Touch many files' });
    const files = Array.from({ length: 400 }, (_, i) => `src/some/rather/deeply/nested/folder/number-${i}/file-${i}.ts`);
    for (let i = 0; i < files.length; i += 50) {
      await sessions.appendActions({ actions: files.slice(i, i + 50).map((filePath) => ({ description: `Edited ${filePath}`, type: 'edit', filePath })) });
    }
    const head = fs.readFileSync(file, 'utf8').split('\n---\n')[0]!;
    assert.ok(Buffer.byteLength(head) > 16 * 1024, 'the frontmatter is longer than the first read');
    await sessions.updateTurn({ tags: ['bulk'] });
    await sessions.completeTurn({ response: 'done' });
    const fresh = make();
    const page = await fresh.queryHistory({});
    assert.equal(page.sessions[0]!.filesModifiedCount, 400);
    assert.deepEqual(page.sessions[0]!.tags, ['bulk']);
    const session = await fresh.getSession({ sessionId: SESSION });
    assert.deepEqual(session.filesModified, files);
    assert.equal(session.turns[0]!.actions.length, 400);
    assert.equal(session.turns[0]!.status, 'completed');
  });

  it('tells a request id quoted in text from a turn that has it', async (t) => {
    const { sessions: make } = setup(t);
    const sessions = make();
    await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Quotes' });
    await sessions.beginTurn({
      requestId: 'req-20260409T120000Z-a',
      queryTitle: 'A',
      queryText: 'As in\n- Request: `req-20260409T120000Z-b`\n- Started: 2026-04-09T12:00:00Z',
    });
    await sessions.appendDialog({ dialogItems: [{ role: 'user', category: 'observation', content: '\n- Request: `req-20260409T120000Z-c`\n' }] });
    assert.equal(await code(sessions.updateTurn({ turnRequestId: 'req-20260409T120000Z-b' })), 'turn_not_found');
    await sessions.completeTurn({});
    await sessions.beginTurn({ requestId: 'req-20260409T120000Z-b', queryTitle: 'B' });
    await sessions.completeTurn({});
    await sessions.beginTurn({ requestId: 'req-20260409T120000Z-c', queryTitle: 'C' });
    assert.equal(await code(sessions.updateTurn({ turnRequestId: 'req-20260409T120000Z-a' })), 'turn_immutable');
    const session = await sessions.getSession({});
    assert.deepEqual(
      session.turns.map((turn) => turn.requestId),
      ['req-20260409T120000Z-a', 'req-20260409T120000Z-b', 'req-20260409T120000Z-c'],
    );
  });

  it('undoes a write cut short by a crash before the next one', async (t) => {
    const { sessions: make, file } = setup(t);
    const sessions = make();
    await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Crash' });
    await sessions.beginTurn({ requestId: 'req-20260409T120000Z-before', queryTitle: 'Before' });
    await sessions.completeTurn({ response: 'kept' });
    const before = await sessions.getSession({});
    const committed = fs.readFileSync(file);
    // A writer that recorded its undo, patched the head, appended half a turn, then died.
    const headEnd = committed.indexOf('\n---\n') + 5;
    const head = committed.subarray(0, headEnd).toString('utf8');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const torn = Buffer.from(head.replace('turnCount: 1', 'turnCount: 2'));
    // The turn it meant to write is long enough to cross a page boundary, where a killed write can stop.
    const turn = `\n## Turn 2 · Half\n\n- Request: \`req-20260409T120001Z-half\`\n\n${'> long query\n'.repeat(500)}`;
    const record = undoRecordFor(committed.length, turn, { before: head, after: torn.toString('utf8') });
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), acquired: Date.now(), ...record }));
    const written = Buffer.from(turn).subarray(0, 4096 - (committed.length % 4096));
    fs.writeFileSync(file, Buffer.concat([torn.subarray(0, headEnd), committed.subarray(headEnd), written]));
    assert.deepEqual(await make().getSession({ sessionId: SESSION }), before, 'readers see only what was committed');

    await make().beginTurn({ sessionId: SESSION, requestId: 'req-20260409T120001Z-after', queryTitle: 'After' });
    assert.ok(!fs.existsSync(`${file}.lock`));
    const after = await make().getSession({ sessionId: SESSION });
    assert.deepEqual(
      after.turns.map((turn) => turn.requestId),
      ['req-20260409T120000Z-before', 'req-20260409T120001Z-after'],
    );
    assert.deepEqual(after.turns[0], before.turns[0]);
    assert.equal(after.turnCount, 2);
    assert.equal(after.status, 'in_progress');
  });
});

describe('turnLines', () => {
  it("generates distinct ids for same-titled sessions and turns in one second, within the protocol's regexes", async (t) => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-agent-ids-')));
    t.after(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.writeFileSync(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
    const fixed = new Date('2026-04-09T12:00:01.500Z');
    const deps = { ...createNodeDeps({ env: { get: () => undefined, cwd: () => root } }), clock: { now: () => fixed } };
    const opened = await Promise.all([0, 1, 2, 3, 4].map(() => new AgentSessions(deps, { cwd: root }).openSession({ agent: 'Codex', title: 'Same title' })));
    assert.deepEqual(opened.map((result) => result.sessionId).sort(), [
      'Codex-20260409T120001Z-same-title',
      'Codex-20260409T120001Z-same-title-2',
      'Codex-20260409T120001Z-same-title-3',
      'Codex-20260409T120001Z-same-title-4',
      'Codex-20260409T120001Z-same-title-5',
    ]);
    const sessions = new AgentSessions(deps, { cwd: root });
    const { sessionId } = opened[0]!;
    const turns: string[] = [];
    for (let i = 0; i < 3; i++) {
      turns.push((await sessions.beginTurn({ sessionId, queryTitle: 'Same turn' })).turnRequestId);
      await sessions.completeTurn({ sessionId });
    }
    assert.deepEqual(turns, ['req-20260409T120001Z-same-turn', 'req-20260409T120001Z-same-turn-2', 'req-20260409T120001Z-same-turn-3']);
    assert.equal(
      await code(sessions.openSession({ agent: 'Codex', sessionId, title: 'Taken' })),
      'session_already_exists',
      'a given id that is taken still fails',
    );
  });

  it("gives the lines of a turn's section, from its heading to its last non-blank line", () => {
    const text = [
      '---',
      'type: agent-session',
      '---',
      '',
      '# Title',
      '',
      '## Turn 1 · First',
      '- Request: `r1`',
      '',
      '',
      '## Turn 2 · Second',
      '- Request: `r2`',
      '',
      '### Completed · t',
      '',
      '## Session closed · t',
      '',
    ].join('\r\n');
    assert.deepEqual(turnLines(text, 1), { start: 7, end: 8 });
    assert.deepEqual(turnLines(text, 2), { start: 11, end: 14 });
    assert.equal(turnLines(text, 3), undefined);
    assert.equal(
      turnLines(text.replace('## Turn 2 · Second', '## Turn 2 ·Second'), 2),
      undefined,
      'a heading as the format writes it, with a space after the dot',
    );
  });

  it("answers with seed 003's codes first: an existing request id, in progress or not, and a lowercase agent in a session id", async (t) => {
    const { sessions: make } = setup(t);
    const sessions = make();
    assert.equal(await code(sessions.openSession({ agent: 'claudecode', sessionId: 'claudecode-20260409T120000Z-task', title: 'T' })), 'invalid_session_id');
    assert.equal(await code(sessions.openSession({ agent: 'Codex', sessionId: 'claudecode-20260409T120000Z-task', title: 'T' })), 'invalid_session_id');
    await sessions.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Codes' });
    await sessions.beginTurn({ requestId: 'req-20260409T120000Z-first', queryTitle: 'First' });
    assert.equal(await code(sessions.beginTurn({ requestId: 'req-20260409T120000Z-first', queryTitle: 'Again' })), 'turn_already_exists', 'in progress');
    await sessions.completeTurn({});
    assert.equal(await code(sessions.beginTurn({ requestId: 'req-20260409T120000Z-first', queryTitle: 'Again' })), 'turn_already_exists', 'completed');
  });
});
