/** The benchmarks' knowledge base: deterministic, realistic sessions, written as sessionlog writes them. */
import { renderNewEntry, renderSection } from '../../src/core/format/render';
import type { AgentSessionSummary } from '../../src/core/agent/model';
import type { SessionRecord } from '../../src/core/model/session';
import { headingTime } from '../../src/core/model/time';

const WORDS = [
  'auth',
  'token',
  'refresh',
  'cache',
  'migration',
  'schema',
  'deploy',
  'staging',
  'flaky',
  'test',
  'parser',
  'index',
  'search',
  'latency',
  'lock',
  'retry',
  'queue',
  'worker',
  'config',
  'docs',
  'review',
  'release',
  'bug',
  'fix',
];

/** Session `i`: a few sentences, tags, now and then links and a structured record. */
export function benchSession(i: number): SessionRecord {
  const word = (k: number): string => WORDS[(i * 7 + k * 5) % WORDS.length]!;
  const sentences = Array.from({ length: 5 + (i % 5) }, (_, k) => `Worked on the ${word(k)} ${word(k + 1)} path (${i}.${k}); ${word(k + 2)} is next.`);
  return {
    message: `${sentences.slice(0, 2).join(' ')}\n\n${sentences.slice(2).join(' ')}`,
    tags: i % 3 === 0 ? [word(0), 'progress'] : [],
    links: i % 5 === 0 ? [`notes/${word(1)}.md`] : [],
    files: i % 10 === 0 ? [`src/${word(2)}.ts`, `test/${word(2)}.test.ts`] : [],
    decisions: i % 20 === 0 ? [{ decision: `Keep the ${word(3)} format`, rationale: 'memex compatibility' }] : [],
    followUps: i % 15 === 0 ? [{ text: `Measure ${word(4)} again`, done: i % 30 === 0 }] : [],
  };
}

/** An entry of `count` sessions (about 450 bytes each), with `updated` already present. */
export function benchEntryText(count: number): string {
  const start = Date.UTC(2024, 0, 1);
  const sections = Array.from({ length: count }, (_, i) => renderSection(headingTime(new Date(start + i * 37 * 60_000)), benchSession(i)).trimEnd());
  const text = renderNewEntry({ project: 'bench', projectTag: 'bench', created: '2024-01-01T00:00:00Z' }, `${sections.join('\n\n')}\n`);
  return text.replace("created: '2024-01-01T00:00:00Z'\n", "created: '2024-01-01T00:00:00Z'\nupdated: '2024-01-01T00:00:00Z'\n");
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const BENCH_AGENTS = ['Codex', 'Copilot', 'Cursor', 'ClaudeCode'];

/** The i-th generated agent session, one minute after the one before from `start` (ms), as both agent benches write them. */
export function benchAgentSummary(i: number, start: number, fields: Pick<AgentSessionSummary, 'status' | 'turnCount'>): AgentSessionSummary {
  const agent = BENCH_AGENTS[i % BENCH_AGENTS.length]!;
  const time = new Date(start + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    agent,
    sessionId: `${agent}-${time.replace(/[-:]/g, '')}-task-${i}`,
    title: `Task ${i}`,
    model: 'gpt-5.4',
    started: time,
    lastUpdated: time,
    ...fields,
    filesModified: [`src/file${i % 13}.ts`],
    tags: ['bench'],
  };
}
