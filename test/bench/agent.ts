/**
 * Agent sessions benchmark: each turn operation on a session that already has 1,000 turns
 * against one that has 1 (target: at most 2x slower, since a turn operation only appends and
 * rewrites the padded frontmatter in place), and a history query over 10,000 sessions
 * (target: under 100 ms, since history reads only the names and one page of frontmatter).
 *
 * Run on its own with `npm run bench:agent`, or call `benchAgent()` from another harness.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderNewSession } from '../../src/core/agent/format';
import { AgentSessions } from '../../src/core/agent/sessions';
import { createNodeDeps } from '../../src/node/nodeDeps';
import { benchAgentSummary } from './corpus';

export interface Row {
  name: string;
  /** The measured figure, in `unit`. */
  value: number;
  unit: string;
  /** What it is held to, in words (e.g. "≤ 2x" or "< 100 ms"). */
  target: string;
  ok: boolean;
  /** What the figure is, in more detail. */
  detail?: string;
}

export interface BenchAgentOptions {
  /** Turns in the large session (default 1,000). */
  bigTurns?: number;
  /** Sessions for the history query (default 10,000). */
  sessions?: number;
  /** Measured turn cycles per session size (default 40). */
  cycles?: number;
  log?: (line: string) => void;
}

const TURN_OPS = ['beginTurn', 'updateTurn', 'appendDialog', 'appendActions', 'completeTurn'] as const;
type TurnOp = (typeof TURN_OPS)[number];

function knowledgeBase(): { root: string; sessions: (staleAfterMinutes?: number) => AgentSessions; dir: string; remove: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-bench-agent-')));
  fs.writeFileSync(path.join(root, '.kbcontext'), 'project: bench\nprimary: projects/bench\n');
  const deps = createNodeDeps({ env: { get: () => undefined, cwd: () => root }, logger: { info: () => undefined, warn: () => undefined } });
  return {
    root,
    dir: path.join(root, 'projects/bench/agent-sessions'),
    sessions: () => new AgentSessions(deps, { cwd: root }),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

let requestCounter = 0;
function requestId(): string {
  requestCounter++;
  return `req-20260409T120000Z-bench-${requestCounter}`;
}

/** One whole turn with realistic content, each operation timed into `times`. */
async function turn(sessions: AgentSessions, sessionId: string, times?: Record<TurnOp, number[]>): Promise<void> {
  const steps: [TurnOp, () => Promise<unknown>][] = [
    [
      'beginTurn',
      () =>
        sessions.beginTurn({
          sessionId,
          requestId: requestId(),
          queryTitle: 'Add JWT authentication',
          queryText: 'Implement JWT token generation\nand validation for the API.',
        }),
    ],
    [
      'updateTurn',
      () =>
        sessions.updateTurn({
          sessionId,
          interpretation: 'User wants JWT auth',
          response: 'Created TokenService',
          tokenCount: 1250,
          tags: ['feature', 'security'],
          contextList: ['src/Services/TokenService.cs'],
        }),
    ],
    [
      'appendDialog',
      () =>
        sessions.appendDialog({
          sessionId,
          dialogItems: [
            { role: 'model', category: 'reasoning', content: 'Analyzing authentication requirements and existing patterns...' },
            { role: 'model', category: 'decision', content: 'Decision: Use HS256 for JWT signing.\nRationale: symmetric key, internal service.' },
          ],
        }),
    ],
    [
      'appendActions',
      () =>
        sessions.appendActions({
          sessionId,
          actions: [
            { description: 'Created TokenService with JWT generation', type: 'create', filePath: 'src/Services/TokenService.cs' },
            { description: 'Chose HS256 for JWT signing', type: 'design_decision' },
          ],
        }),
    ],
    ['completeTurn', () => sessions.completeTurn({ sessionId, response: 'JWT authentication implemented:\n- TokenService\n- JwtValidator' })],
  ];
  for (const [name, step] of steps) {
    const start = performance.now();
    await step();
    times?.[name].push(performance.now() - start);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function emptyTimes(): Record<TurnOp, number[]> {
  return Object.fromEntries(TURN_OPS.map((op) => [op, []])) as unknown as Record<TurnOp, number[]>;
}

/** Each turn operation on a 1,000-turn session against a 1-turn one. */
async function turnOperations(options: Required<Omit<BenchAgentOptions, 'log'>>, log: (line: string) => void): Promise<Row[]> {
  const kb = knowledgeBase();
  try {
    const sessions = kb.sessions();
    await sessions.bootstrap();
    const big = 'Codex-20260409T120000Z-big-session';
    await sessions.openSession({ agent: 'Codex', sessionId: big, title: 'A long session' });
    const building = performance.now();
    for (let i = 0; i < options.bigTurns; i++) await turn(sessions, big);
    log(
      `built a ${options.bigTurns}-turn session (${(fs.statSync(path.join(kb.dir, `${big}.md`)).size / 1024).toFixed(0)} KiB) in ${((performance.now() - building) / 1000).toFixed(1)} s`,
    );

    const small = emptyTimes();
    const large = emptyTimes();
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      // A fresh session with one turn each time, so "small" stays at 1 turn before the measured one.
      const id = `Codex-20260409T120000Z-small-${cycle}`;
      await sessions.openSession({ agent: 'Codex', sessionId: id, title: 'A short session' });
      await turn(sessions, id);
      // Alternate which goes first, so neither always runs on a warmer cache.
      if (cycle % 2 === 0) {
        await turn(sessions, id, small);
        await turn(sessions, big, large);
      } else {
        await turn(sessions, big, large);
        await turn(sessions, id, small);
      }
    }
    return TURN_OPS.map((op) => {
      const one = median(small[op]);
      const many = median(large[op]);
      const ratio = many / one;
      return {
        name: `${op}: ${options.bigTurns} turns vs 1`,
        value: Number(ratio.toFixed(2)),
        unit: 'x',
        target: '≤ 2x',
        ok: ratio <= 2,
        detail: `median ${many.toFixed(2)} ms vs ${one.toFixed(2)} ms over ${options.cycles} runs`,
      };
    });
  } finally {
    kb.remove();
  }
}

/** A history page over many sessions: the folder listed, one page of frontmatter read. */
async function historyQuery(options: Required<Omit<BenchAgentOptions, 'log'>>, log: (line: string) => void): Promise<Row[]> {
  const kb = knowledgeBase();
  try {
    fs.mkdirSync(kb.dir, { recursive: true });
    const writing = performance.now();
    for (let i = 0; i < options.sessions; i++) {
      const summary = benchAgentSummary(i, Date.UTC(2026, 0, 1), { status: i % 3 ? 'completed' : 'in_progress', turnCount: i % 7 });
      fs.writeFileSync(path.join(kb.dir, `${summary.sessionId}.md`), renderNewSession(summary, 512));
    }
    log(`wrote ${options.sessions} session files in ${((performance.now() - writing) / 1000).toFixed(1)} s`);

    const sessions = kb.sessions();
    const queries: [string, Record<string, unknown>][] = [
      ['newest page (limit 10)', { limit: 10 }],
      ['one agent, page 50 (limit 20, offset 1000)', { agent: 'Copilot', limit: 20, offset: 1000 }],
      ['last page (limit 10, offset N-10)', { limit: 10, offset: options.sessions - 10 }],
    ];
    const rows: Row[] = [];
    for (const [label, params] of queries) {
      await sessions.queryHistory(params);
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 15; i++) {
        const start = performance.now();
        total = (await sessions.queryHistory(params)).totalCount;
        times.push(performance.now() - start);
      }
      const value = median(times);
      rows.push({
        name: `queryHistory over ${options.sessions} sessions: ${label}`,
        value: Number(value.toFixed(1)),
        unit: 'ms',
        target: '< 100 ms',
        ok: value < 100,
        detail: `median of 15, worst ${Math.max(...times).toFixed(1)} ms, totalCount ${total}`,
      });
    }
    return rows;
  } finally {
    kb.remove();
  }
}

export async function benchAgent(options: BenchAgentOptions = {}): Promise<Row[]> {
  const settings = { bigTurns: options.bigTurns ?? 1000, sessions: options.sessions ?? 10_000, cycles: options.cycles ?? 40 };
  const log = options.log ?? (() => undefined);
  return [...(await turnOperations(settings, log)), ...(await historyQuery(settings, log))];
}

export function formatRows(rows: Row[]): string {
  const width = Math.max(...rows.map((row) => row.name.length));
  return rows
    .map(
      (row) =>
        `${row.ok ? 'ok  ' : 'SLOW'}  ${row.name.padEnd(width)}  ${`${row.value} ${row.unit}`.padStart(9)}  (target ${row.target})${row.detail ? `  ${row.detail}` : ''}`,
    )
    .join('\n');
}

if (require.main === module) {
  benchAgent({ log: (line) => console.log(line) }).then(
    (rows) => {
      console.log(formatRows(rows));
      if (rows.some((row) => !row.ok)) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
