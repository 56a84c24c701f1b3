/** Redaction through the bundled CLI and the MCP server: what each writer writes. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import * as fs from 'node:fs';
import { read, tempDir, tempKb, write } from '../support/files';
import { cli } from '../support/cli';
import { McpConnection } from '../support/mcp';
import { FAKE } from '../support/secrets';

// Secret-shaped strings are built at run time so the source holds none a scanner would flag.

describe('sessionlog log', () => {
  function kb(t: TestContext): { root: string; entry: string } {
    const root = tempDir(t);
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: projects/app/sessions.md\n');
    return { root, entry: path.join(root, 'projects/app/sessions.md') };
  }

  it('writes secrets redacted and warns on stderr', (t) => {
    const { root, entry } = kb(t);
    const result = cli(['log', '-m', `Pushed with ${FAKE.github}`, '--decision', 'Rotate :: the old one was password=hunter2xyz'], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    const text = read(entry);
    assert.ok(!text.includes(FAKE.github) && !text.includes('hunter2xyz'), text);
    assert.match(text, /^Pushed with \[REDACTED:github-token\]$/m);
    assert.match(text, /Rationale: the old one was password=\[REDACTED:password\]$/m);
    assert.match(result.stderr, /2 secrets redacted before writing/);
    assert.ok(!result.stdout.includes(FAKE.github), result.stdout);
  });

  it('--no-redact writes the text as given, without the warning', (t) => {
    const { root, entry } = kb(t);
    const result = cli(['log', '-m', `Pushed with ${FAKE.github}`, '--no-redact'], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    assert.match(read(entry), new RegExp(`^Pushed with ${FAKE.github}$`, 'm'));
    assert.doesNotMatch(result.stderr, /redacted/);
  });
});

describe('every free-text field of every writer', () => {
  it('MCP redacts the model, an error code and paths (filePath, contextList) as the CLI does; ids and enums stay', { timeout: 60_000 }, async (t) => {
    const { root } = tempKb(t);
    const mcp = await McpConnection.start(t, root);
    const sessionId = 'Codex-20260409T120000Z-redact';
    await mcp.ok('openSession', { agent: 'Codex', sessionId, title: 'Redact', model: `gpt-5 key=${FAKE.openai}` });
    await mcp.ok('beginTurn', { queryTitle: 'Deploy' });
    await mcp.ok('updateTurn', { contextList: [`https://bob:hunter2xyz@git.example.com/r.git`] });
    await mcp.ok('appendActions', {
      actions: [{ description: 'Pushed', type: 'commit', status: 'completed', filePath: `https://x:${FAKE.github}@github.com/o/r` }],
    });
    await mcp.ok('failTurn', { errorMessage: 'push refused', errorCode: `auth-${FAKE.github}` });
    const text = (fs.readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((file) => file.endsWith('.md'))
      .map((file) => read(path.join(root, file)))
      .join('\n');
    for (const secret of [FAKE.openai, FAKE.github, 'hunter2xyz']) assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… is not written`);
    assert.match(text, /\[REDACTED:api-key\]/);
    assert.match(text, /https:\/\/bob:\[REDACTED:url-password\]@git\.example\.com/);
    assert.match(text, new RegExp(`sessionId: ${sessionId}`));
  });
});
