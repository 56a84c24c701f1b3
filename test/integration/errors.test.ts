/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { removeTemps, services, tempDir, useKnowledgeBase, write } from './helpers';

const WAYS_OUT = ['Create .kbcontext', 'Choose Knowledge Base Folder'];

/** A folder outside the workspace whose .kbcontext cannot be read (primary is a mapping), after a quick log there failed on it. */
async function folderWithBrokenKbContext(text: string): Promise<string> {
  const folder = tempDir('sessionlog-errors-');
  write(path.join(folder, '.kbcontext'), 'project: demo\nprimary:\n  nested: mapping\n');
  await vscode.commands.executeCommand('sessionlog.quickLog', { text, cwd: folder });
  assert.equal((await services()).errors.last?.code, 'invalid_kbcontext');
  return folder;
}

describe('error messages', function () {
  this.timeout(30_000);

  after(async () => {
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  it('offer to create a .kbcontext or choose a knowledge base where there is no knowledge base', async () => {
    const made = await services();
    const bare = tempDir('sessionlog-errors-');
    await useKnowledgeBase(undefined);
    await vscode.commands.executeCommand('sessionlog.quickLog', { text: 'nowhere to go', cwd: bare });
    assert.equal(made.errors.last?.code, 'no_kb_root');
    assert.deepEqual(made.errors.last.actions, WAYS_OUT);
    assert.deepEqual(fs.readdirSync(bare), []);
  });

  it('offer the same where a knowledge base is set but no .kbcontext says where in it', async () => {
    const made = await services();
    const bare = tempDir('sessionlog-errors-');
    const kb = tempDir('sessionlog-errors-kb-');
    await useKnowledgeBase(kb);
    await vscode.commands.executeCommand('sessionlog.log', { cwd: bare, answers: { message: 'nowhere to go' } });
    assert.equal(made.errors.last?.code, 'no_context');
    assert.deepEqual(made.errors.last.actions, WAYS_OUT);
    assert.deepEqual([fs.readdirSync(bare), fs.readdirSync(kb)], [[], []]);
    await useKnowledgeBase(undefined);
  });

  it('follow a fix: a folder outside the workspace is read afresh for each command', async () => {
    const folder = await folderWithBrokenKbContext('first try');
    write(path.join(folder, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
    await vscode.commands.executeCommand('sessionlog.quickLog', { text: 'after the fix', cwd: folder });
    assert.match(fs.readFileSync(path.join(folder, 'projects/demo/sessions.md'), 'utf8'), /^after the fix$/m);
  });

  it('offer to open a .kbcontext that cannot be read, and the log for the rest', async () => {
    const made = await services();
    await folderWithBrokenKbContext('nowhere to go');
    assert.deepEqual(made.errors.last?.actions, ['Open .kbcontext']);

    const fine = tempDir('sessionlog-errors-');
    write(path.join(fine, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
    await vscode.commands.executeCommand('sessionlog.log', { cwd: fine, answers: { message: 'x', tags: ['a[b'] } });
    assert.equal(made.errors.last?.code, 'invalid_input');
    assert.deepEqual(made.errors.last.actions, ['Show Log']);
  });
});
