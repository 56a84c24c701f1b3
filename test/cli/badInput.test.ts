/** Bad input through the CLI, the MCP server and the envelope REPL: refused, named as each front end calls it, nothing written. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CLI } from '../support/paths';
import { tempDir, tempKb, write } from '../support/files';
import { baseEnv } from '../support/git';
import { request, runCli } from '../support/cli';
import { McpConnection } from '../support/mcp';
import { spawnSync } from 'node:child_process';

function kb(t: TestContext): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
  return { root, entry: path.join(root, 'sessions.md') };
}

/** The CLI with raw bytes on standard input. */
function cliBytes(args: string[], cwd: string, input: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: baseEnv(), input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SESSION = 'Codex-20260409T120000Z-binary';

describe('misspelt fields inside items', () => {
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

  it('repl: a line that is not UTF-8 is refused naming the line, never written altered; the next line is answered', (t) => {
    const { root, sessionsDir } = tempKb(t);
    const [open, before, after] = [
      request('req-20260409T120000Z-open-001', 'openSession', { agent: 'Codex', sessionId: SESSION, title: 'Bytes' }),
      request('req-20260409T120001Z-begin-001', 'beginTurn', { queryTitle: 'caf\u00e9 latin-1' }),
      request('req-20260409T120002Z-begin-002', 'beginTurn', { queryTitle: 'Plain again' }),
    ];
    // The second line's é as one Latin-1 byte (0xE9): decoding it as UTF-8 would silently give U+FFFD.
    const latin1 = Buffer.from(before, 'latin1');
    const input = Buffer.concat([Buffer.from(`${open}\r\n`), latin1, Buffer.from(`\n${after}\n`)]);
    const run = cliBytes(['repl'], root, input);
    assert.equal(run.status, 1, 'a refused line makes the run fail');
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; payload: { requestId: string | null; code?: string; message?: string; turnRequestId?: string } });
    assert.deepEqual(
      answers.map((answer) => answer.type),
      ['result', 'error', 'result'],
    );
    assert.equal(answers[1]!.payload.requestId, 'req-20260409T120001Z-begin-001', 'answered under its request id');
    assert.equal(answers[1]!.payload.code, 'invalid_parameter');
    assert.match(answers[1]!.payload.message!, /^standard input line 2 is not valid UTF-8 text \(the byte at offset \d+ is not\)/);
    const text = fs.readFileSync(path.join(sessionsDir, `${SESSION}.md`), 'utf8');
    assert.doesNotMatch(text, /latin-1|\uFFFD/, 'nothing of the refused line is written');
    assert.match(text, /^## Turn 1 · Plain again$/m);
  });
});
