/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionLogApi } from '../../src/extension/extension';

// Read as the suites load, before any test or hook can call activate(): whatever activated the
// extension by then was VS Code itself, for the fixture workspace's .kbcontext.
const activeAtLoad = vscode.extensions.getExtension('sessionlog.sessionlog')?.isActive;

describe('activation', () => {
  it('runs in a real VS Code', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('opens the fixture workspace', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.ok(fs.existsSync(path.join(folder.uri.fsPath, '.kbcontext')), `no .kbcontext in ${folder.uri.fsPath}`);
  });

  it("is activated by the workspace's .kbcontext, before anything asks for it", () => {
    const extension = vscode.extensions.getExtension<SessionLogApi>('sessionlog.sessionlog');
    assert.ok(extension, 'extension sessionlog.sessionlog is not installed');
    assert.ok((extension.packageJSON.activationEvents as string[]).includes('workspaceContains:.kbcontext'));
    assert.equal(activeAtLoad, true, 'the extension was not active when the tests started');
    assert.equal(typeof extension.exports?.services, 'function', 'activate() returned no API');
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
