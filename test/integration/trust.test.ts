/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createDeps, noGit } from '../../src/extension/deps';
import { confineToFolder, FolderContext } from '../../src/extension/folders';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { gitRepo, removeTemps, tempDir, useKnowledgeBase, write } from './helpers';

const quiet = { info: () => undefined, warn: () => undefined };

/**
 * The window under test is trusted (the test runtime turns workspace trust off), so Restricted
 * Mode is tested through the very objects the extension makes for an untrusted folder.
 */
describe('Restricted Mode and virtual workspaces', function () {
  this.timeout(20_000);

  before(() => useKnowledgeBase(undefined));

  after(async () => {
    await useKnowledgeBase(undefined);
    removeTemps();
  });

  it('declares limited support, with kbRoot restricted', () => {
    const manifest = vscode.extensions.getExtension('sessionlog.sessionlog')!.packageJSON as {
      capabilities: {
        untrustedWorkspaces: { supported: string; restrictedConfigurations: string[]; description: string };
        virtualWorkspaces: { supported: string };
      };
      extensionKind: string[];
    };
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['sessionlog.kbRoot']);
    assert.ok(manifest.capabilities.untrustedWorkspaces.description.length > 40);
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.extensionKind, ['workspace']);
  });

  it('runs no git where the workspace is untrusted or virtual', async () => {
    const repo = gitRepo(tempDir('sessionlog-trust-git-'));
    write(path.join(repo, 'changed.txt'), 'x');
    const uri = vscode.Uri.file(repo);
    const trusted = createDeps(uri, repo, { trusted: true, virtual: false }, quiet, '/nowhere/cli.js');
    assert.deepEqual(await trusted.git.changedFiles(repo), ['changed.txt']);
    assert.ok(trusted.gitSync);
    for (const capabilities of [
      { trusted: false, virtual: false },
      { trusted: true, virtual: true },
    ]) {
      const limited = createDeps(uri, repo, capabilities, quiet, '/nowhere/cli.js');
      assert.equal(limited.git, noGit);
      assert.equal(limited.gitSync, undefined);
      assert.deepEqual(await limited.git.changedFiles(repo), []);
      assert.equal(await limited.git.root(repo), undefined);
    }
  });

  it('keeps the knowledge base inside the folder: a .kbcontext above it, a setting or a symbolic link out is refused', async () => {
    const outer = tempDir('sessionlog-trust-');
    const folder = path.join(outer, 'project');
    fs.mkdirSync(folder);
    // A .kbcontext above the folder makes the knowledge base the folder above: outside.
    write(path.join(outer, '.kbcontext'), 'primary: projects/evil\n');
    const untrusted = new FolderContext(vscode.Uri.file(folder), 'project', undefined, { trusted: false, virtual: false }, quiet, '/nowhere/cli.js');
    const refused = await untrusted.resolve();
    assert.equal((refused.error as { code?: string }).code, 'path_outside_kb');
    assert.match((refused.error as Error).message, /Restricted Mode/);
    assert.deepEqual((refused.error as { details?: Record<string, unknown> }).details?.restricted, true);

    // The same folder, trusted: the knowledge base above it is used.
    const trusted = new FolderContext(vscode.Uri.file(folder), 'project', undefined, { trusted: true, virtual: false }, quiet, '/nowhere/cli.js');
    assert.equal((await trusted.resolve()).workspace?.kbRoot, outer);

    // A knowledge base inside the folder works in Restricted Mode: browsing and logging go on.
    write(path.join(folder, '.kbcontext'), 'primary: projects/ok\n');
    const inside = new FolderContext(vscode.Uri.file(folder), 'project', undefined, { trusted: false, virtual: false }, quiet, '/nowhere/cli.js');
    assert.equal((await inside.resolve()).entry?.relativePath, 'projects/ok/sessions.md');

    // ...but not through a symbolic link that leads out.
    const elsewhere = tempDir('sessionlog-trust-elsewhere-');
    fs.symlinkSync(elsewhere, path.join(folder, 'kb-link'));
    const fsPort = new NodeFileSystem();
    await assert.rejects(confineToFolder(fsPort, folder, path.join(folder, 'kb-link')), /Restricted Mode/);
    await confineToFolder(fsPort, folder, path.join(folder, 'projects'));
  });
});
