/**
 * The Insights view's figure: a knowledge base of 100,000 sessions (20 projects of 5,000, about
 * 45 MB) read cold and counted for every chart, as the extension host does when the view opens.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectActivity } from '../../src/core/report/collect';
import { insightsOf } from '../../src/core/report/insights';
import { Zone } from '../../src/core/report/zone';
import { EntryCache } from '../../src/core/usecases/readEntries';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { benchEntryText, median } from './corpus';

const PROJECTS = 20;
const PER_PROJECT = 5_000;
const RUNS = 5;

export interface InsightsFigure {
  sessions: number;
  megabytes: number;
  /** Median ms of a cold read (new cache) and count. */
  coldMs: number;
  /** Median ms when the files have not changed since (the view redrawn, a filter changed). */
  warmMs: number;
}

export async function benchInsights(): Promise<InsightsFigure> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-bench-insights-')));
  try {
    const text = benchEntryText(PER_PROJECT);
    for (let p = 0; p < PROJECTS; p++) {
      fs.mkdirSync(path.join(root, `projects/p${p}`), { recursive: true });
      fs.writeFileSync(path.join(root, `projects/p${p}/sessions.md`), text.replace('title: bench Sessions', `title: p${p} Sessions`));
    }
    fs.writeFileSync(path.join(root, '.kbcontext'), 'project: p0\nprimary: projects/p0\n');
    const deps = createNodeDeps({ env: { get: () => undefined, cwd: () => root }, logger: { info: () => undefined, warn: () => undefined } });
    const zone = new Zone('Europe/Berlin');
    const run = async (cache?: EntryCache) => {
      const activity = await collectActivity(deps, { cwd: root, all: true }, cache);
      const last = activity.sessions.at(-1)!.at;
      return { activity, insights: insightsOf(activity, {}, new Date(last), zone) };
    };
    const cold: number[] = [];
    let sessions = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      const { activity } = await run();
      if (i > 0) cold.push(performance.now() - t0);
      sessions = activity.sessions.length;
    }
    const cache = new EntryCache();
    await run(cache);
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await run(cache);
      warm.push(performance.now() - t0);
    }
    return { sessions, megabytes: (Buffer.byteLength(text) * PROJECTS) / 1e6, coldMs: median(cold), warmMs: median(warm) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchInsights().then((figure) => console.log(figure));
}
