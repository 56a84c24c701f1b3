import { agentSessionOf, AgentSessions } from '../../core/agent/sessions';
import type { Deps } from '../../core/ports';
import type { Session } from '../../core/model/session';
import { sessionHistory } from '../../core/usecases/history';
import { getEntry } from '../../core/usecases/readEntries';
import { searchSessions } from '../../core/usecases/search';
import { integer, list, parse, UsageError } from '../args';
import { printJson, type Io } from '../io';

export const GET_HELP = `Usage: sessionlog get PATH [--json] [--kb-root DIR]

Print an entry of the knowledge base (PATH is relative to its root).
With --json: {path, frontmatter, sessions}; for an agent session file
(agent-sessions/<sessionId>.md), the session itself: its summary and every turn.
`;

export const SEARCH_HELP = `Usage: sessionlog search QUERY [--tags=a,b] [--limit N] [--json] [--kb-root DIR]

Find sessions across the knowledge base. Every word of QUERY must appear in the session;
every tag must be on the session or its entry. Best matches first, then newest.
`;

export const HISTORY_HELP = `Usage: sessionlog history [--limit N] [--offset N] [-e PATH] [--json] [--kb-root DIR]
       sessionlog history --agents [--agent NAME] [--stale-minutes N] [--limit N] [--offset N] [--json] [--kb-root DIR]

This project's sessions, newest first, a page at a time (default 20), and how many agent
sessions it has besides.

With --agents: the project's agent sessions instead (those written over MCP or the REPL),
newest first, with status, turn count and a stale turn (one still in progress with no
change for --stale-minutes, default 30). --agent NAME shows one agent's sessions.
With --json: {sessions, totalCount, offset, limit}, as the queryHistory operation.
`;

export async function runGet(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {}, true);
  if (values.help) return io.out(GET_HELP);
  if (positionals.length !== 1) throw new UsageError('get takes exactly one PATH, relative to the knowledge-base root.');
  const loaded = await getEntry(deps, positionals[0]!, { cwd: io.cwd, ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}) });
  if (values.json) {
    const agentSession = agentSessionOf(loaded.text, loaded.path);
    if (agentSession) return printJson(io, { path: loaded.path, ...agentSession });
    return printJson(io, { path: loaded.path, frontmatter: loaded.entry.frontmatter, sessions: loaded.entry.sessions });
  }
  io.out(loaded.text);
}

export async function runSearch(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { tags: { type: 'string', multiple: true }, limit: { type: 'string' } }, true);
  if (values.help) return io.out(SEARCH_HELP);
  const tags = list(values.tags);
  if (positionals.length === 0 && tags.length === 0) throw new UsageError('search needs a QUERY or --tags.');
  const hits = await searchSessions(deps, {
    query: positionals.join(' '),
    tags,
    limit: integer(values.limit, '--limit', 20, 1),
    cwd: io.cwd,
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
  });
  if (values.json) return printJson(io, hits);
  if (hits.length === 0) return io.out('No sessions found.');
  io.out(hits.map((hit) => `${hit.path}:${hit.line}  ${hit.heading}${hit.tags.length ? `  ${hit.tags.map((t) => `#${t}`).join(' ')}` : ''}\n    ${hit.snippet}`).join('\n'));
}

export async function runHistory(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    limit: { type: 'string' }, offset: { type: 'string' }, entry: { type: 'string', short: 'e' },
    agents: { type: 'boolean' }, agent: { type: 'string' }, 'stale-minutes': { type: 'string' },
  });
  if (values.help) return io.out(HISTORY_HELP);
  if (values.agents || values.agent !== undefined) {
    if (values.entry !== undefined) throw new UsageError('--entry applies to logged sessions, not to --agents.');
    return agentHistory(deps, io, values);
  }
  const page = await sessionHistory(deps, {
    limit: integer(values.limit, '--limit', 20, 1),
    offset: integer(values.offset, '--offset', 0),
    cwd: io.cwd,
    ...(values.entry !== undefined ? { entry: values.entry } : {}),
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
  });
  if (values.json) return printJson(io, page);
  const agents = await agentSessionsNote(deps, io, values['kb-root']);
  if (page.totalCount === 0) return io.out([`No sessions in ${page.path} yet.`, ...agents].join('\n'));
  const rows = page.sessions.map((session) => `${session.heading || '(no heading)'}  ${firstLine(session)}  (${page.path}:${session.startLine})`);
  const shown = `${page.offset + 1}-${page.offset + page.sessions.length} of ${page.totalCount}`;
  io.out([...rows, `(${page.sessions.length ? shown : `none past ${page.offset}; ${page.totalCount} in all`})`, ...agents].join('\n'));
}

/** A line pointing at the project's agent sessions, when it has any: they are listed with --agents. */
async function agentSessionsNote(deps: Deps, io: Io, kbRoot: string | undefined): Promise<string[]> {
  try {
    const { totalCount } = await new AgentSessions(deps, { cwd: io.cwd, ...(kbRoot ? { kbRoot } : {}) }).queryHistory({ limit: 1 });
    return totalCount === 0 ? [] : [`${totalCount} agent session${totalCount === 1 ? '' : 's'} too: sessionlog history --agents`];
  } catch {
    // The logged sessions are what was asked for; agent sessions that cannot be read are for --agents to report.
    return [];
  }
}

async function agentHistory(deps: Deps, io: Io, values: { limit?: string; offset?: string; agent?: string; 'stale-minutes'?: string; json?: boolean; 'kb-root'?: string }): Promise<void> {
  const sessions = new AgentSessions(deps, {
    cwd: io.cwd,
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
    ...(values['stale-minutes'] !== undefined ? { staleAfterMinutes: integer(values['stale-minutes'], '--stale-minutes', 30) } : {}),
  });
  const page = await sessions.queryHistory({
    limit: integer(values.limit, '--limit', 20, 1),
    offset: integer(values.offset, '--offset', 0),
    ...(values.agent !== undefined ? { agent: values.agent } : {}),
  });
  if (values.json) return printJson(io, page);
  if (page.totalCount === 0) return io.out(`No agent sessions${values.agent ? ` by ${values.agent}` : ''} yet.`);
  const rows = page.sessions.map((session) => {
    const turns = `${session.turnCount} turn${session.turnCount === 1 ? '' : 's'}`;
    const stale = session.staleTurn ? `  STALE turn ${session.staleTurn}` : '';
    return `${session.sessionId}  ${session.status}  ${turns}  ${session.title}${stale}\n    ${session.path}  (last update ${session.lastUpdated})`;
  });
  const shown = `${page.offset + 1}-${page.offset + page.sessions.length} of ${page.totalCount}`;
  io.out([...rows, `(${page.sessions.length ? shown : `none past ${page.offset}; ${page.totalCount} in all`})`].join('\n'));
}

function firstLine(session: Session): string {
  const line = session.message.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
