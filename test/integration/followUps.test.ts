/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Node } from '../../src/extension/views/nodes/node';
import { cli, entryIn, read, services, useSuiteKnowledgeBase, waitFor, workspaceFolder } from './helpers';

describe('Follow-ups view', function () {
  this.timeout(30_000);
  let kb: string;

  useSuiteKnowledgeBase('sessionlog-followups-', (root) => (kb = root));

  async function rows(): Promise<{ element: Node; item: vscode.TreeItem }[]> {
    const made = await services();
    await made.model.settled();
    const elements = await made.followUpsTree.getChildren();
    return elements.map((element) => ({ element, item: made.followUpsTree.getTreeItem(element) }));
  }

  it('lists open follow-ups as unchecked boxes, newest session first', async () => {
    const cwd = workspaceFolder().uri.fsPath;
    await cli(['log', '-m', 'First', '--follow-up', 'Write the tests', '--follow-up', 'Ship it'], { cwd, env: { MEMEX_KB_ROOT: kb } });
    await cli(['log', '-m', 'Second', '--follow-up', 'Update the README'], { cwd, env: { MEMEX_KB_ROOT: kb } });
    const found = await waitFor('three follow-ups', async () => {
      const current = await rows();
      return current.length === 3 ? current : undefined;
    });
    assert.deepEqual(
      found.map(({ item }) => item.label),
      ['Update the README', 'Write the tests', 'Ship it'],
    );
    for (const { item } of found) {
      assert.equal(typeof item.checkboxState === 'object' ? item.checkboxState.state : item.checkboxState, vscode.TreeItemCheckboxState.Unchecked);
      assert.equal(item.contextValue, 'followUp:open');
      assert.match(String(item.description), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    }
    assert.equal(new Set(found.map(({ item }) => item.id)).size, 3);
  });

  it('checking one marks it done in the entry, and it leaves the list', async () => {
    const target = (await rows()).find(({ item }) => item.label === 'Write the tests')!;
    // What the view's checkbox handler runs (the context menu's "Mark as Done" too).
    assert.equal(await vscode.commands.executeCommand('sessionlog.followUps.markDone', target.element), 1);
    const text = read(entryIn(kb));
    assert.match(text, /- \[x\] Write the tests\n- \[ \] Ship it/);
    assert.match(text, /- \[ \] Update the README/);
    const left = await waitFor('two follow-ups', async () => {
      const current = await rows();
      return current.length === 2 ? current : undefined;
    });
    assert.deepEqual(
      left.map(({ item }) => item.label),
      ['Update the README', 'Ship it'],
    );
  });

  it('never clobbers a write made meanwhile: the box is found again under the lock', async () => {
    const target = (await rows()).find(({ item }) => item.label === 'Ship it')!;
    await cli(['log', '-m', 'Third, written after the view was read'], { cwd: workspaceFolder().uri.fsPath, env: { MEMEX_KB_ROOT: kb } });
    await vscode.commands.executeCommand('sessionlog.followUps.markDone', target.element);
    const text = read(entryIn(kb));
    assert.match(text, /- \[x\] Ship it/);
    assert.match(text, /Third, written after the view was read\n$/);
  });
});
