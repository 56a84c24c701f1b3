/**
 * Text that would make an entry unreadable is refused before anything is written, in every
 * front end (the core, the bundled CLI, the MCP server through the official SDK client, and the
 * envelope `repl`), with an error naming where it came in; flags that take one value are not
 * silently given twice.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { AgentSessions } from '../../src/core/agent/sessions';
import { isSessionLogError } from '../../src/core/errors';
import { binaryProblem } from '../../src/core/model/validate';
import { logSession } from '../../src/core/usecases/logSession';
import { McpConnection, request, runCli, tempKb } from './agentHelpers';
import { CLI, baseEnv, coreDeps, tempDir, write } from './helpers';
import { spawnSync } from 'node:child_process';

function kb(t: TestContext): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
  return { root, entry: path.join(root, 'sessions.md') };
}

/** The CLI with raw bytes on standard input. */
function cliBytes(args: string[], cwd: string, input: Uint8Array): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: baseEnv(), input, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
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
    await refused(sessions.appendDialog({ dialogItems: [{ role: 'tool', category: 'tool_result', content: 'PNG\0\0\u0001' }] }), 'dialogItems[0].content');
    await refused(sessions.updateTurn({ response: 'ok', contextList: ['a', 'b\0'] }), 'contextList[1]');
    await refused(sessions.completeTurn({ response: '\0' }), 'response');
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
      sessions.appendActions({ actions: [{ description: 'Edited', type: 'edit', filepath: 'src/a.ts' }] }),
      (error) =>
        isSessionLogError(error) &&
        error.code === 'invalid_parameter' &&
        /^actions\[0\]\.filepath is not a field of actions\[0\] \(did you mean filePath\?\)/.test(error.message),
    );
    await assert.rejects(
      sessions.appendDialog({ dialogItems: [{ role: 'model', category: 'reasoning', content: 'x', timestmp: '2026-04-09T12:00:00Z' }] }),
      (error) => isSessionLogError(error) && /^dialogItems\[0\]\.timestmp .*did you mean timestamp\?/.test(error.message),
    );
    assert.equal(fs.readFileSync(path.join(root, relative), 'utf8'), before);
  });

  it('MCP: a decision with a misspelt rationale is refused naming decisions[0].rationalle', { timeout: 60_000 }, async (t) => {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    const error = await mcp.fails('log', { message: 'hi', decisions: [{ decision: 'Used jose', rationalle: 'typed' }] });
    assert.equal(error.code, 'invalid_parameter');
    assert.match(error.message, /^decisions\[0\]\.rationalle is not a field/);
  });
});

describe('the CLI refuses what it cannot write as text', () => {
  it('-f FILE with a NUL, or not UTF-8, and --stdin likewise: a usage error (exit 2), the source named, the entry untouched', (t) => {
    const { root, entry } = kb(t);
    const binary = write(path.join(root, 'notes.bin'), Buffer.from([0x50, 0x4e, 0x47, 0x00, 0x01]));
    const latin1 = write(path.join(root, 'latin1.txt'), Buffer.from('caf\xe9 au lait\n', 'latin1'));
    let run = cliBytes(['log', '-f', binary], root, new Uint8Array());
    assert.equal(run.status, 2);
    assert.match(run.stderr, /message contains a NUL byte at character 4/);
    run = cliBytes(['log', '-f', latin1], root, new Uint8Array());
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--file .*latin1\.txt is not valid UTF-8 text \(the byte at offset 3 is not\)/);
    run = cliBytes(['log', '--stdin'], root, Buffer.from('caf\xe9\n', 'latin1'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /standard input is not valid UTF-8 text/);
    run = cliBytes(['log', '--stdin'], root, Buffer.from('text\0more'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /message contains a NUL byte/);
    run = cliBytes(['log', '-m', 'bell \u0007'], root, new Uint8Array());
    assert.match(run.stderr, /message contains the control character U\+0007/);
    assert.ok(!fs.existsSync(entry));
  });

  it('an --entry that is not a .md file is refused (exit 2), naming --entry', (t) => {
    const { root } = kb(t);
    const run = cliBytes(['log', '-m', 'hi', '--entry', 'notes.txt'], root, new Uint8Array());
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--entry 'notes\.txt' is not a Markdown file \(\.md\)/);
    assert.ok(!fs.existsSync(path.join(root, 'notes.txt')));
  });

  it('-m given twice is a usage error (exit 2), not the last one kept', (t) => {
    const { root, entry } = kb(t);
    const run = cliBytes(['log', '-m', 'first', '--message', 'second'], root, new Uint8Array());
    assert.equal(run.status, 2);
    assert.match(run.stderr, /-m\/--message was given more than once/);
    assert.ok(!fs.existsSync(entry));
  });
});

describe('the MCP server and the envelope repl refuse binary content', () => {
  it(
    "MCP: a NUL in log's message or a dialog item is invalid_parameter naming the parameter; over-long ids are invalid ids",
    { timeout: 60_000 },
    async (t) => {
      const { root } = tempKb(t);
      const mcp = await McpConnection.start(t, root);
      const log = await mcp.fails('log', { message: 'before\0after' });
      assert.equal(log.code, 'invalid_parameter');
      assert.match(log.message, /^message contains a NUL byte/);
      await mcp.ok('openSession', { agent: 'Codex', sessionId: SESSION, title: 'Binary' });
      await mcp.ok('beginTurn', { queryTitle: 'First' });
      const entry = await mcp.fails('log', { message: 'hi', entry: 'notes.txt' });
      assert.match(entry.message, /^entry 'notes\.txt' is not a Markdown file/, 'names the MCP parameter, not --entry');
      const tags = await mcp.fails('log', { message: 'hi', tags: ['has space'] });
      assert.match(tags.message, /^tags: tag 'has space'/);
      assert.doesNotMatch(`${entry.message} ${tags.message}`, /--entry|--tags/);
      const longSession = await mcp.fails('openSession', { agent: 'Codex', sessionId: `Codex-20260409T120000Z-${'a'.repeat(300)}`, title: 'Long' });
      assert.equal(longSession.code, 'invalid_session_id', JSON.stringify(longSession));
      const longRequest = await mcp.fails('beginTurn', { requestId: `req-20260409T120000Z-${'b'.repeat(300)}`, queryTitle: 'Long' });
      assert.equal(longRequest.code, 'invalid_request_id', JSON.stringify(longRequest));
      const dialog = await mcp.fails('appendDialog', { dialogItems: [{ role: 'tool', category: 'tool_result', content: 'bytes\0' }] });
      assert.equal(dialog.code, 'invalid_parameter');
      assert.match(dialog.message, /^dialogItems\[0\]\.content contains a NUL byte/);
    },
  );

  it('repl: an envelope whose text holds a NUL is answered with an error naming the parameter', { timeout: 60_000 }, async (t) => {
    const { root } = tempKb(t);
    const run = await runCli(
      ['repl'],
      root,
      [
        request('req-20260409T120000Z-open-001', 'openSession', { agent: 'Codex', sessionId: SESSION, title: 'Binary' }),
        request('req-20260409T120001Z-begin-001', 'beginTurn', { queryTitle: 'nul \0 here' }),
      ].join('\n'),
    );
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; payload: { code?: string; message?: string } });
    assert.equal(answers[1]!.type, 'error');
    assert.equal(answers[1]!.payload.code, 'invalid_parameter');
    assert.match(answers[1]!.payload.message!, /^queryTitle contains a NUL byte/);
  });
});
