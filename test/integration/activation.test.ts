/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('activation', () => {
  it('runs in a real VS Code', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('opens the fixture workspace', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.ok(fs.existsSync(path.join(folder.uri.fsPath, '.kbcontext')), `no .kbcontext in ${folder.uri.fsPath}`);
  });

  it('finds and activates the extension', async () => {
    const extension = vscode.extensions.getExtension('sessionlog.sessionlog');
    assert.ok(extension, 'extension sessionlog.sessionlog is not installed');
    assert.equal(extension.packageJSON.publisher, 'sessionlog');
    assert.equal(extension.packageJSON.name, 'sessionlog');
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
