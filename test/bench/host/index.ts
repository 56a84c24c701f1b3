/**
 * The benchmark's part inside the real VS Code extension host (run by scripts/run-vscode-tests.js
 * as the tests entry point): how long activate() takes, and how long the Sessions view takes to
 * show the first page of an entry of 10,000 sessions read cold. Writes its figures as JSON to
 * the file named by SESSIONLOG_BENCH_OUT.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionLogApi } from '../../../src/extension/extension';
import type { Services } from '../../../src/extension/services';
import { benchEntryText, median } from '../corpus';

export interface HostFigures {
  vscodeVersion: string;
  activationMs: number;
  treeFirstPageMs: number;
  treeFirstPageRuns: number[];
  pageSize: number;
  sessions: number;
}

const SESSIONS = 10_000;
const RUNS = 9;

async function firstPage(made: Services): Promise<number> {
  const roots = await made.sessionsTree.getChildren();
  const entry = roots.find((node) => made.sessionsTree.getTreeItem(node).id?.startsWith('entry:'));
  if (!entry) return 0;
  const rows = (await made.sessionsTree.getChildren(entry)).map((node) => made.sessionsTree.getTreeItem(node));
  return rows.length;
}

/** Waits for the model's next change (the read that follows an invalidation starts only when the view asks). */
function nextChange(made: Services): Promise<void> {
  return new Promise((resolve) => {
    const subscription = made.model.onDidChange(() => {
      subscription.dispose();
      resolve();
    });
  });
}

export async function run(): Promise<void> {
  const out = process.env.SESSIONLOG_BENCH_OUT;
  if (!out) throw new Error('SESSIONLOG_BENCH_OUT names no file for the figures');
  const extension = vscode.extensions.getExtension<SessionLogApi>('sessionlog.sessionlog');
  if (!extension) throw new Error('sessionlog.sessionlog is not installed');
  const api = extension.isActive ? extension.exports : await extension.activate();

  const kb = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-bench-host-')));
  const entry = path.join(kb, 'projects', 'demo', 'sessions.md');
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  fs.writeFileSync(entry, benchEntryText(SESSIONS));
  const config = vscode.workspace.getConfiguration('sessionlog');
  try {
    await config.update('kbRoot', kb, vscode.ConfigurationTarget.Global);
    const made = await api.services();
    const pageSize = made.folders.all()[0]!.config().pageSize;
    for (let tries = 0; (await firstPage(made)) !== pageSize + 1; tries++) {
      if (tries > 300) throw new Error(`the Sessions view never showed a first page of ${pageSize} sessions and "Load more"`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A new modification time makes the parsed-entry cache miss, as after any write.
      const time = new Date(Date.now() + (i + 1) * 1000);
      fs.utimesSync(entry, time, time);
      const changed = nextChange(made);
      made.model.reload(undefined, { now: true });
      await changed;
      const started = performance.now();
      const rows = await firstPage(made);
      runs.push(performance.now() - started);
      if (rows !== pageSize + 1) throw new Error(`expected ${pageSize + 1} rows on the first page, got ${rows}`);
    }
    const figures: HostFigures = {
      vscodeVersion: vscode.version,
      activationMs: api.activationMs,
      treeFirstPageMs: median(runs),
      treeFirstPageRuns: runs,
      pageSize,
      sessions: SESSIONS,
    };
    fs.writeFileSync(out, JSON.stringify(figures));
  } finally {
    await config.update('kbRoot', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(kb, { recursive: true, force: true });
  }
}
