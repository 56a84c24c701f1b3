/**
 * Session Log benchmark: the costs a user feels, each next to its target.
 *
 * - Appending a session through the core's logSession, on an entry of 10 and of 10,000 sessions
 *   (~5 MB), against a raw fs append + fsync of the same bytes measured in the same run: the lock,
 *   the head read, the in-place `updated` patch and the crash record may cost at most 3x the write
 *   itself, and must not grow with the entry.
 * - Parsing the 10,000-session entry (< 100 ms) and searching 10,000 sessions (< 200 ms).
 * - A whole `sessionlog log` process, end to end (< 150 ms).
 *
 *   npm run bench            prints the table; exits 0
 *   npm run bench -- --strict  exits 1 when a figure misses its target
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseEntry } from '../../src/core/format/parse';
import { renderNewEntry, renderSection } from '../../src/core/format/render';
import type { SessionRecord } from '../../src/core/model/session';
import { headingTime } from '../../src/core/model/time';
import type { Deps } from '../../src/core/ports';
import { logSession } from '../../src/core/usecases/logSession';
import { searchSessions } from '../../src/core/usecases/search';
import { createNodeDeps } from '../../src/node/nodeDeps';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
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

const WORDS = ['auth', 'token', 'refresh', 'cache', 'migration', 'schema', 'deploy', 'staging', 'flaky', 'test', 'parser',
  'index', 'search', 'latency', 'lock', 'retry', 'queue', 'worker', 'config', 'docs', 'review', 'release', 'bug', 'fix'];

/** A deterministic, realistic session: a few sentences, tags, now and then links and a structured record. */
function session(i: number): SessionRecord {
  const word = (k: number): string => WORDS[(i * 7 + k * 5) % WORDS.length]!;
  const sentences = Array.from({ length: 5 + (i % 5) }, (_, k) => `Worked on the ${word(k)} ${word(k + 1)} path (${i}.${k}); ${word(k + 2)} is next.`);
  const record: SessionRecord = {
    message: `${sentences.slice(0, 2).join(' ')}\n\n${sentences.slice(2).join(' ')}`,
    tags: i % 3 === 0 ? [word(0), 'progress'] : [],
    links: i % 5 === 0 ? [`notes/${word(1)}.md`] : [],
    files: i % 10 === 0 ? [`src/${word(2)}.ts`, `test/${word(2)}.test.ts`] : [],
    decisions: i % 20 === 0 ? [{ decision: `Keep the ${word(3)} format`, rationale: 'memex compatibility' }] : [],
    followUps: i % 15 === 0 ? [{ text: `Measure ${word(4)} again`, done: i % 30 === 0 }] : [],
  };
  return record;
}

/** An entry of `count` sessions, as sessionlog would have written it, with `updated` already present. */
function entryText(count: number): string {
  const start = Date.UTC(2024, 0, 1);
  const sections = Array.from({ length: count }, (_, i) => renderSection(headingTime(new Date(start + i * 37 * 60_000)), session(i)).trimEnd());
  const text = renderNewEntry({ project: 'bench', projectTag: 'bench', created: '2024-01-01T00:00:00Z' }, `${sections.join('\n\n')}\n`);
  return text.replace("created: '2024-01-01T00:00:00Z'\n", "created: '2024-01-01T00:00:00Z'\nupdated: '2024-01-01T00:00:00Z'\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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

  const core: number[] = [];
  const plain: number[] = [];
  const blocking: number[] = [];
  for (let i = 0; i < APPENDS + 3; i++) {
    const record = session(sessions + i);
    // The same bytes logSession appends: a blank line and the section (its heading is the current minute).
    const bytes = Buffer.from(`\n\n${renderSection(headingTime(new Date()), { ...record, links: ['notes/existing.md'] })}`);
    const t0 = performance.now();
    await logSession(deps, { ...record, links: ['notes/existing.md'], entry: relative, cwd: root });
    const t1 = performance.now();
    await rawAppend(raw, bytes);
    const t2 = performance.now();
    rawAppendSync(raw, bytes);
    const t3 = performance.now();
    // The first appends warm up module code and the disk; they are not counted.
    if (i >= 3) {
      core.push(t1 - t0);
      plain.push(t2 - t1);
      blocking.push(t3 - t2);
    }
  }
  const check = parseEntry(fs.readFileSync(entry, 'utf8'));
  if (check.sessions.length !== sessions + APPENDS + 3) throw new Error(`expected ${sessions + APPENDS + 3} sessions in ${entry}, found ${check.sessions.length}`);
  const ratio = median(core) / median(plain);
  const label = `${sessions.toLocaleString('en-US')} sessions, ${sizeMb.toFixed(sizeMb < 1 ? 2 : 1)} MB`;
  rows.push({ name: `append via logSession (${label}), median of ${APPENDS}`, value: ms(median(core)), target: '', result: '' });
  rows.push({ name: `raw fs/promises append + fsync of the same bytes (${label})`, value: ms(median(plain)), target: '', result: '' });
  rows.push({ name: `  ratio logSession / raw (${label})`, value: `${ratio.toFixed(2)}x`, target: '<= 3x', result: ratio <= 3 ? 'PASS' : 'FAIL' });
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
    rows.push({ name: `parseEntry, ${parsed.toLocaleString('en-US')} sessions (${(Buffer.byteLength(big) / 1e6).toFixed(1)} MB), median of ${PARSES}`, value: ms(parseMs), target: '< 100 ms', result: parseMs < 100 ? 'PASS' : 'FAIL' });

    // Search: the whole knowledge base read and parsed afresh each time, as a CLI process does.
    const searches: number[] = [];
    let hits = 0;
    for (let i = 0; i < SEARCHES + 2; i++) {
      const t0 = performance.now();
      hits = (await searchSessions(deps, { query: 'lock retry', tags: ['progress'], limit: 20, cwd: root })).length;
      if (i >= 2) searches.push(performance.now() - t0);
    }
    if (hits === 0) throw new Error('the benchmark search found nothing');
    const searchMs = median(searches);
    rows.push({ name: `searchSessions over ${parsed.toLocaleString('en-US')} sessions (read + parse + match), median of ${SEARCHES}`, value: ms(searchMs), target: '< 200 ms', result: searchMs < 200 ? 'PASS' : 'FAIL' });

    // A whole process: node starting, the bundle loading, resolving .kbcontext, appending, exiting.
    const env = { ...process.env };
    delete env.MEMEX_KB_ROOT;
    delete env.VL_KB_CONTEXT;
    const runs: number[] = [];
    for (let i = 0; i < PROCESSES + 2; i++) {
      const t0 = performance.now();
      const result = spawnSync(process.execPath, [CLI, 'log', '-m', `End-to-end run ${i}`, '--tags', 'bench'], { cwd: root, encoding: 'utf8', env });
      const elapsed = performance.now() - t0;
      if (result.status !== 0) throw new Error(`sessionlog log failed: ${result.stderr}`);
      if (i >= 2) runs.push(elapsed);
    }
    const cliMs = median(runs);
    rows.push({ name: `sessionlog log process end to end (node dist/cli.js, 10,000-session entry), median of ${PROCESSES}`, value: ms(cliMs), target: '< 150 ms', result: cliMs < 150 ? 'PASS' : 'FAIL' });

    print(rows);
    const failed = rows.filter((row) => row.result === 'FAIL').length;
    console.log(`\n${failed === 0 ? 'All figures meet their targets.' : `${failed} figure${failed === 1 ? '' : 's'} missed the target${strict ? '.' : ' (exit 0 without --strict).'}`}`);
    if (strict && failed > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function print(rows: Row[]): void {
  const cpus = os.cpus();
  console.log(`Session Log benchmark: node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} (${cpus[0]?.model.trim() ?? 'unknown'}), temp folder ${os.tmpdir()}\n`);
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
