/**
 * Session Log benchmark: the costs a user feels, each next to its target, over the whole stack in
 * one run (`npm run bench` builds and packages first).
 *
 * - Sizes: each production bundle and the VSIX.
 * - Appending a session on an entry of 10 and of 10,000 sessions (~5 MB), against a raw fs append
 *   + fsync of the same bytes measured in the same run: the append itself (appendSection: the lock,
 *   the head read, the in-place `updated` patch and the crash record around the write and fsync)
 *   and a whole logSession (the .kbcontext and entry resolved, the record redacted and rendered, its
 *   links looked up, then that append) may each cost at most 3x the write, and must not grow with the entry.
 * - Parsing the 10,000-session entry (< 100 ms) and searching 10,000 sessions (< 200 ms).
 * - Search at team scale (test/bench/search.ts): 100,000 sessions in 500 entries + 5,000 agent sessions;
 *   a full rebuild, a warm in-process query, the update after one log, a CLI process and its memory, and
 *   the full scan search did before the index, side by side.
 * - A whole `sessionlog log` process, end to end (< 150 ms); `sessionlog mcp` from spawn until initialize is
 *   answered, within 100 ms of `node -e 0` in the same runs.
 * - A page of history over 10,000 sessions (< 100 ms).
 * - Agent sessions: each turn operation at 1,000 turns against 1 (<= 2x); history over 10,000 (< 100 ms).
 * - The Insights view opened on 100,000 sessions: read cold and counted for every chart (< 1 s).
 * - In the real VS Code extension host: activate() (< 20 ms) and the Sessions view's first page of a
 *   10,000-session entry read cold (< 150 ms).
 *
 *   npm run bench            prints the table; exits 0
 *   npm run bench -- --strict  exits 1 when a figure misses its target
 *   npm run bench -- --no-host  leaves out the extension-host figures (no headless VS Code needed)
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseEntry } from '../../src/core/format/parse';
import { renderSection } from '../../src/core/format/render';
import { headingTime, isoSeconds } from '../../src/core/model/time';
import type { Deps } from '../../src/core/ports';
import { appendSection } from '../../src/core/storage/entryFile';
import { logSession } from '../../src/core/usecases/logSession';
import { sessionHistory } from '../../src/core/usecases/history';
import { EntryCache } from '../../src/core/usecases/readEntries';
import { searchSessions } from '../../src/core/usecases/search';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { benchAgent } from './agent';
import { benchInsights } from './insights';
import { benchSearch } from './search';
import { benchEntryText as entryText, benchSession as session, median } from './corpus';
import type { HostFigures } from './host/index';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const VSIX = path.join(ROOT, 'sessionlog.vsix');
const APPENDS = 50;
const PARSES = 15;
const SEARCHES = 15;
const PROCESSES = 15;

interface Row {
  name: string;
  value: string;
  target: string;
  result: 'PASS' | 'FAIL' | '';
}

const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

/**
 * A raw append of `bytes` with fsync, as a program without any of our safety would do it, with the
 * same asynchronous fs the core's FileSystem port uses (an editor's extension host must not block).
 */
async function rawAppend(file: string, bytes: Buffer): Promise<void> {
  const handle = await fsp.open(file, 'a');
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The raw append inside the least a lock file takes (created exclusively, written, removed): the
 * floor for any writer that shares a lock file with others, as every Session Log writer does.
 */
async function rawLockedAppend(file: string, bytes: Buffer): Promise<void> {
  const lock = await fsp.open(`${file}.lock`, 'wx');
  try {
    await lock.write(`{"pid":${process.pid}}`);
    await rawAppend(file, bytes);
  } finally {
    await lock.close();
    await fsp.unlink(`${file}.lock`);
  }
}

/** The same with blocking calls: what the disk itself charges for a durable append. */
function rawAppendSync(file: string, bytes: Buffer): void {
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function appendRows(root: string, deps: Deps, sessions: number, rows: Row[]): Promise<void> {
  const relative = `projects/bench/sessions-${sessions}.md`;
  const entry = path.join(root, relative);
  const raw = path.join(root, `raw-${sessions}.md`);
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  const text = entryText(sessions);
  fs.writeFileSync(entry, text);
  fs.writeFileSync(raw, text);
  const sizeMb = Buffer.byteLength(text) / 1e6;

  const logged: number[] = [];
  const appended: number[] = [];
  const plain: number[] = [];
  const locked: number[] = [];
  const blocking: number[] = [];
  for (let i = 0; i < APPENDS + 3; i++) {
    const record = { ...session(sessions + i), links: ['notes/existing.md'] };
    const section = renderSection(headingTime(new Date()), record);
    // The same bytes the core appends: a blank line and the section (its heading is the current minute).
    const bytes = Buffer.from(`\n\n${section}`);
    const steps: [number[], () => Promise<void> | void][] = [
      [logged, () => logSession(deps, { ...record, entry: relative, cwd: root }).then(() => undefined)],
      [appended, () => appendSection(deps, { file: entry, section, newEntry: () => '', updated: isoSeconds(new Date()), backup: false }).then(() => undefined)],
      [plain, () => rawAppend(raw, bytes)],
      [locked, () => rawLockedAppend(raw, bytes)],
      [blocking, () => rawAppendSync(raw, bytes)],
    ];
    // Each takes each place in turn: what runs just after an fsync (the journal still busy) varies by place.
    for (let k = 0; k < steps.length; k++) {
      const [times, step] = steps[(i + k) % steps.length]!;
      const started = performance.now();
      await step();
      // The first appends warm up module code and the disk; they are not counted.
      if (i >= 3) times.push(performance.now() - started);
    }
  }
  const check = parseEntry(fs.readFileSync(entry, 'utf8'));
  const expected = sessions + 2 * (APPENDS + 3);
  if (check.sessions.length !== expected) throw new Error(`expected ${expected} sessions in ${entry}, found ${check.sessions.length}`);
  const label = `${sessions.toLocaleString('en-US')} sessions, ${sizeMb.toFixed(sizeMb < 1 ? 2 : 1)} MB`;
  const rawMs = median(plain);
  rows.push({ name: `raw fs/promises append + fsync of the same bytes (${label}), median of ${APPENDS}`, value: ms(rawMs), target: '', result: '' });
  for (const [what, times] of [
    ['appendSection', appended],
    ['logSession', logged],
  ] as const) {
    const ratio = median(times) / rawMs;
    rows.push({ name: `  append via ${what} (${label})`, value: ms(median(times)), target: '', result: '' });
    rows.push({ name: `  ratio ${what} / raw (${label})`, value: `${ratio.toFixed(2)}x`, target: '<= 3x', result: ratio <= 3 ? 'PASS' : 'FAIL' });
  }
  rows.push({ name: `  (for reference: the raw append inside a lock file's create and unlink, ${label})`, value: ms(median(locked)), target: '', result: '' });
  rows.push({ name: `  (for reference: blocking fs append + fsync, ${label})`, value: ms(median(blocking)), target: '', result: '' });
}

async function main(): Promise<void> {
  const strict = process.argv.includes('--strict');
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first.`);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-bench-')));
  try {
    fs.writeFileSync(path.join(root, '.kbcontext'), 'project: bench\nsession_entry: projects/bench/sessions-10000.md\n');
    fs.mkdirSync(path.join(root, 'notes'));
    fs.writeFileSync(path.join(root, 'notes/existing.md'), '# Existing\n');
    const deps = createNodeDeps({ env: { get: () => undefined, cwd: () => root }, logger: { info: () => undefined, warn: () => undefined } });
    const rows: Row[] = [];

    await appendRows(root, deps, 10, rows);
    await appendRows(root, deps, 10_000, rows);
    fs.rmSync(path.join(root, 'raw-10.md'));
    fs.rmSync(path.join(root, 'raw-10000.md'));
    fs.rmSync(path.join(root, 'projects/bench/sessions-10.md'));

    // Parsing: the 10,000-session entry as the previous step left it (plus its appends).
    const big = fs.readFileSync(path.join(root, 'projects/bench/sessions-10000.md'), 'utf8');
    const parses: number[] = [];
    let parsed = 0;
    for (let i = 0; i < PARSES + 2; i++) {
      const t0 = performance.now();
      parsed = parseEntry(big).sessions.length;
      if (i >= 2) parses.push(performance.now() - t0);
    }
    const parseMs = median(parses);
    rows.push({
      name: `parseEntry, ${parsed.toLocaleString('en-US')} sessions (${(Buffer.byteLength(big) / 1e6).toFixed(1)} MB), median of ${PARSES}`,
      value: ms(parseMs),
      target: '< 100 ms',
      result: parseMs < 100 ? 'PASS' : 'FAIL',
    });

    // Search over the 10,000-session entry: the first query builds the index (not counted), the others find it warm.
    const searches: number[] = [];
    let hits = 0;
    for (let i = 0; i < SEARCHES + 2; i++) {
      const t0 = performance.now();
      hits = (await searchSessions(deps, { query: 'lock retry', tags: ['progress'], limit: 20, cwd: root })).length;
      if (i >= 2) searches.push(performance.now() - t0);
    }
    if (hits === 0) throw new Error('the benchmark search found nothing');
    const searchMs = median(searches);
    rows.push({
      name: `searchSessions over ${parsed.toLocaleString('en-US')} sessions (warm index, files checked), median of ${SEARCHES}`,
      value: ms(searchMs),
      target: '< 200 ms',
      result: searchMs < 200 ? 'PASS' : 'FAIL',
    });

    // A whole process: node starting, the bundle loading, resolving .kbcontext, appending, exiting.
    const env = { ...process.env };
    delete env.MEMEX_KB_ROOT;
    delete env.VL_KB_CONTEXT;
    // Interleaved with a node process that does nothing, so the figure can be read against what starting node costs here.
    const runs: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < PROCESSES + 2; i++) {
      const t0 = performance.now();
      const result = spawnSync(process.execPath, [CLI, 'log', '-m', `End-to-end run ${i}`, '--tags', 'bench'], { cwd: root, encoding: 'utf8', env });
      const t1 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { cwd: root, env });
      const t2 = performance.now();
      if (result.status !== 0) throw new Error(`sessionlog log failed: ${result.stderr}`);
      if (i >= 2) {
        runs.push(t1 - t0);
        bare.push(t2 - t1);
      }
    }
    const cliMs = median(runs);
    rows.push({
      name: `sessionlog log process end to end (node dist/cli.js, 10,000-session entry), median of ${PROCESSES}`,
      value: ms(cliMs),
      target: '< 150 ms',
      result: cliMs < 150 ? 'PASS' : 'FAIL',
    });
    rows.push({ name: '  (for reference: a node process that does nothing, node -e 0, same runs)', value: ms(median(bare)), target: '', result: '' });

    // A hook process as an agent runs it: a tool use recorded into the session and turn in progress (the common event),
    // in the knowledge base with the 10,000-session entry, interleaved with node -e 0.
    const hook = (payload: Record<string, unknown>) =>
      spawnSync(process.execPath, [CLI, 'hook', 'claude-code'], {
        cwd: root,
        encoding: 'utf8',
        env,
        input: JSON.stringify({ session_id: 'bench-hook', cwd: root, hook_event_name: 'PostToolUse', ...payload }),
      });
    hook({ hook_event_name: 'UserPromptSubmit', prompt: 'Benchmark the hooks' });
    const hooks: number[] = [];
    const hookBare: number[] = [];
    for (let i = 0; i < PROCESSES + 2; i++) {
      const t0 = performance.now();
      const result = hook({ tool_name: 'Edit', tool_input: { file_path: path.join(root, `src/file${i}.ts`) }, tool_use_id: `toolu_bench_${i}` });
      const t1 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { cwd: root, env });
      const t2 = performance.now();
      if (result.status !== 0 || result.stdout !== '') throw new Error(`the hook failed: ${result.stderr}${result.stdout}`);
      if (i >= 2) {
        hooks.push(t1 - t0);
        hookBare.push(t2 - t1);
      }
    }
    const recorded = fs
      .readdirSync(path.join(root, 'projects/bench/agent-sessions'))
      .map((name) => fs.readFileSync(path.join(root, 'projects/bench/agent-sessions', name), 'utf8'))
      .join('');
    if (!recorded.includes(`src/file${PROCESSES + 1}.ts`)) throw new Error('the benchmark hook recorded nothing');
    const hookOver = median(hooks.map((value, i) => value - hookBare[i]!));
    rows.push({
      name: `sessionlog hook claude-code process, a tool use recorded (10,000-session knowledge base), median of ${PROCESSES}`,
      value: ms(median(hooks)),
      target: '',
      result: '',
    });
    rows.push({ name: '  hook process minus node -e 0, run by run, median', value: ms(hookOver), target: '< 60 ms', result: hookOver < 60 ? 'PASS' : 'FAIL' });

    // The MCP server as a client starts it (one process per hook call, for some): from spawn until initialize is answered,
    // interleaved with node -e 0 run to its end.
    const starts: number[] = [];
    const startBare: number[] = [];
    for (let i = 0; i < PROCESSES + 2; i++) {
      const t0 = performance.now();
      await mcpInitialized(root, env);
      const t1 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { cwd: root, env });
      const t2 = performance.now();
      if (i >= 2) {
        starts.push(t1 - t0);
        startBare.push(t2 - t1);
      }
    }
    const startOver = median(starts.map((value, i) => value - startBare[i]!));
    rows.push({ name: `sessionlog mcp: spawn until initialize is answered, median of ${PROCESSES}`, value: ms(median(starts)), target: '', result: '' });
    rows.push({
      name: '  MCP start-up minus node -e 0, run by run, median',
      value: ms(startOver),
      target: '< 100 ms',
      result: startOver < 100 ? 'PASS' : 'FAIL',
    });

    // A page of history, as `sessionlog history` and the Sessions view read it (the entry cached between pages, as in the editor).
    const pages: number[] = [];
    const cache = new EntryCache();
    for (let i = 0; i < SEARCHES + 2; i++) {
      const t0 = performance.now();
      const page = await sessionHistory(deps, { cwd: root, limit: 50, offset: (i % 5) * 50 }, i % 2 ? cache : new EntryCache());
      if (page.sessions.length !== 50) throw new Error('the benchmark history page is short');
      if (i >= 2 && i % 2 === 0) pages.push(performance.now() - t0);
    }
    const historyMs = median(pages);
    rows.push({
      name: `sessionHistory, a page of 50 of ${parsed.toLocaleString('en-US')} sessions, read cold, median`,
      value: ms(historyMs),
      target: '< 100 ms',
      result: historyMs < 100 ? 'PASS' : 'FAIL',
    });

    const insights = await benchInsights();
    rows.push({
      name: `Insights opened: ${insights.sessions.toLocaleString('en-US')} sessions in 20 entries (${insights.megabytes.toFixed(0)} MB) read cold and counted for every chart, median`,
      value: ms(insights.coldMs),
      target: '< 1000 ms',
      result: insights.coldMs < 1000 ? 'PASS' : 'FAIL',
    });
    rows.push({ name: '  (for reference: redrawn with the entries unchanged, e.g. a filter changed)', value: ms(insights.warmMs), target: '', result: '' });

    rows.push(...(await benchSearch()));
    for (const row of await benchAgent()) {
      rows.push({
        name: `agent ${row.name}${row.detail ? ` (${row.detail})` : ''}`,
        value: `${row.value}${row.unit === 'x' ? 'x' : ` ${row.unit}`}`,
        target: row.target.replace('≤', '<='),
        result: row.ok ? 'PASS' : 'FAIL',
      });
    }
    rows.unshift(...sizeRows());
    if (!process.argv.includes('--no-host')) rows.push(...hostRows());

    print(rows);
    const failed = rows.filter((row) => row.result === 'FAIL').length;
    console.log(
      `\n${failed === 0 ? 'All figures meet their targets.' : `${failed} figure${failed === 1 ? '' : 's'} missed the target${strict ? '.' : ' (exit 0 without --strict).'}`}`,
    );
    if (strict && failed > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/** The bundles as shipped (`npm run bench` packages first, so dist/ holds the production build) and the VSIX. */
/** Starts `sessionlog mcp`, sends initialize and resolves when its answer arrives; the server is then closed. */
function mcpInitialized(cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'mcp'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.on('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!out.includes('\n')) return;
      if (!out.includes('"serverInfo"')) reject(new Error(`initialize failed: ${out}`));
      resolve();
      child.stdin.end();
    });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`,
    );
  });
}

function sizeRows(): Row[] {
  const dist = path.join(ROOT, 'dist');
  const rows: Row[] = fs
    .readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .sort()
    .map((file) => ({ name: `bundle dist/${file}`, value: kib(fs.statSync(path.join(dist, file)).size), target: '', result: '' as const }));
  if (fs.existsSync(VSIX)) rows.push({ name: 'VSIX (npm run package)', value: kib(fs.statSync(VSIX).size), target: '', result: '' });
  return rows;
}

/** Runs the extension-host part (test/bench/host) in the headless VS Code and reads its figures. */
function hostFigures(): HostFigures {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-bench-out-')), 'host.json');
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-vscode-tests.js'), '--tests', path.join(__dirname, 'host', 'index.js')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SESSIONLOG_BENCH_OUT: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status !== 0 || !fs.existsSync(out)) throw new Error(`the extension-host benchmark failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  const figures = JSON.parse(fs.readFileSync(out, 'utf8')) as HostFigures;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return figures;
}

/** activate() runs once per extension host, so it is timed in several hosts, one after another. */
const HOSTS = 3;

function hostRows(): Row[] {
  const hosts = Array.from({ length: HOSTS }, () => hostFigures());
  const figures = hosts[0]!;
  const activations = hosts.map((host) => host.activationMs);
  const activationMs = median(activations);
  const runs = figures.treeFirstPageRuns.map((value) => value.toFixed(0)).join(', ');
  return [
    {
      name: `activate() in the real extension host (VS Code ${figures.vscodeVersion}), median of ${HOSTS} hosts (${activations.map((value) => value.toFixed(1)).join(', ')} ms)`,
      value: ms(activationMs),
      target: '< 20 ms',
      result: activationMs < 20 ? 'PASS' : 'FAIL',
    },
    {
      name: `Sessions view first page (${figures.pageSize} rows) of ${figures.sessions.toLocaleString('en-US')} sessions, read cold, median (runs: ${runs} ms)`,
      value: ms(figures.treeFirstPageMs),
      target: '< 150 ms',
      result: figures.treeFirstPageMs < 150 ? 'PASS' : 'FAIL',
    },
  ];
}

function print(rows: Row[]): void {
  const cpus = os.cpus();
  console.log(
    `Session Log benchmark: node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} (${cpus[0]?.model.trim() ?? 'unknown'}), temp folder ${os.tmpdir()}\n`,
  );
  const header: Row = { name: 'figure', value: 'value', target: 'target', result: '' };
  const widths = {
    name: Math.max(...[header, ...rows].map((row) => row.name.length)),
    value: Math.max(...[header, ...rows].map((row) => row.value.length)),
    target: Math.max(...[header, ...rows].map((row) => row.target.length)),
  };
  const line = (row: Row | typeof header, result: string): string =>
    `${row.name.padEnd(widths.name)}  ${row.value.padStart(widths.value)}  ${row.target.padEnd(widths.target)}  ${result}`.trimEnd();
  console.log(line(header, 'result'));
  console.log(line({ name: '-'.repeat(widths.name), value: '-'.repeat(widths.value), target: '-'.repeat(widths.target), result: '' }, '------'));
  for (const row of rows) console.log(line(row, row.result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 2;
});
