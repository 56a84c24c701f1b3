/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tempDir, useSuiteKnowledgeBase, write } from './helpers';

describe('[[links]] in Markdown', function () {
  this.timeout(20_000);
  let kb: string;

  useSuiteKnowledgeBase('sessionlog-links-', (root) => (kb = root));

  it('are clickable, resolved against the knowledge-base root, and never lead outside it', async () => {
    const outside = tempDir('sessionlog-outside-');
    write(path.join(outside, 'secret.md'), 'secret\n');
    fs.symlinkSync(outside, path.join(kb, 'escape'));
    write(path.join(kb, 'patterns', 'oauth2.md'), '# OAuth2\n');
    write(path.join(kb, 'guides', 'ai.md'), '# AI\n');
    const note = write(
      path.join(kb, 'projects', 'demo', 'notes.md'),
      [
        '# Notes',
        '',
        'See [[patterns/oauth2.md]] and [[guides/ai|the AI guide]] and [[guides/ai.md#setup]].',
        'Not these: [[../../etc/passwd]], [[/etc/passwd]], [[escape/secret.md]].',
      ].join('\n'),
    );
    const document = await vscode.workspace.openTextDocument(note);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
    const ours = links.filter((link) => link.target && link.target.fsPath.startsWith(kb));
    assert.deepEqual(
      ours.map((link) => [document.getText(link.range), link.target!.fsPath]),
      [
        ['patterns/oauth2.md', path.join(kb, 'patterns', 'oauth2.md')],
        ['guides/ai|the AI guide', path.join(kb, 'guides', 'ai.md')],
        ['guides/ai.md#setup', path.join(kb, 'guides', 'ai.md')],
      ],
    );
    assert.ok(
      !links.some((link) => link.target?.fsPath.includes('passwd') || link.target?.fsPath.startsWith(outside)),
      'a link leads outside the knowledge base',
    );
  });
});
