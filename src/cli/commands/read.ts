import { decodeHistoryQuery, timeFilter } from '../../core/agent/inputs';
import { agentSessionOf, AgentSessions } from '../../core/agent/sessions';
import { SessionLogError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import type { Session } from '../../core/model/session';
import { sessionHistory } from '../../core/usecases/history';
import { renderResume, resumeContext } from '../../core/usecases/resume';
import { getEntry } from '../../core/usecases/readEntries';
import { FILTER_NAMES, type SearchFilters } from '../../core/search/query';
import { markedSnippet } from '../../core/search/snippet';
import { searchSessions } from '../../core/usecases/search';
import { integer, list, parse, UsageError } from '../args';
import { printJson, type Io } from '../io';
import { clip } from '../../core/format/escape';

const GET_HELP = `Usage: sessionlog get PATH [--json] [--kb-root DIR]

Print an entry of the knowledge base (PATH is relative to its root).
With --json: {path, frontmatter, sessions}; for an agent session file
(agent-sessions/<sessionId>.md), the session itself: its summary and every turn.
`;

export const SEARCH_HELP = `Usage: sessionlog search QUERY [filters] [--limit N] [--json | --jsonl] [--kb-root DIR]

Ranked search over every logged session, agent session and turn, and decision record of the
knowledge base: words are stemmed ("authenticate" finds "authentication"), the last word also
matches as a prefix, one typo is forgiven in words of five letters or more, title and tags weigh
more than the text. "quoted words" must appear together; -word excludes. Each result is a
locator (path:line, heading, session and turn id) with a snippet, best first, then newest.

Filters (each may be given alone, without QUERY):
  --tag TAG          on the session or turn itself (repeat, or a,b: all must be there)
  --entry-tag TAG    on the file: the entry's, the agent session's or the record's tags
  --since WHEN       a date (2026-04-09), a time, or a span back from now (12h, 7d, 2w)
  --until WHEN       the same; a date counts to its end
  --project NAME     the project's folder (projects/myapp) or its name (myapp)
  --agent NAME       an agent's sessions and turns (Codex)
  --kind KIND        session, turn or decision
  --status STATUS    a turn's or agent session's (in_progress, completed, failed) or a record's (accepted, ...)
Output: lines for people; --json an array of hits; --jsonl one hit per line.
The index lives in .sessionlog/search/ inside the knowledge base and follows every change to its
files (by size and time), whoever made it; deleting it only costs a rebuild.
`;

const HISTORY_HELP = `Usage: sessionlog history [filters] [--limit N] [--offset N] [-e PATH] [--json | --jsonl] [--kb-root DIR]
       sessionlog history --agents [filters] [--agent NAME] [--status S] [--model M] [--all] [--stale-minutes N]
                          [--limit N] [--offset N] [--json | --jsonl] [--kb-root DIR]

This project's sessions, newest first, a page at a time (default 20), and how many agent
sessions it has besides.

With --agents: the project's agent sessions instead (those written over MCP or the REPL),
newest first, with status, turn count and a stale turn (one still in progress with no
change for --stale-minutes, default 30). --agent NAME, --status, --model and --all imply --agents.

Filters:
      --since WHEN     Only sessions since then (agent sessions: changed since then): an age
                       such as 30m, 12h, 7d or 2w, a date such as 2026-04-09, or an ISO time
      --until WHEN     Only sessions up to then (a date counts to its end)
      --tag TAG        Only sessions with this tag
      --text WORDS     Only sessions whose text contains every word, in any case
      --status S       Agent sessions in_progress, completed or stale (a turn left in progress)
      --model M        Agent sessions whose model contains M
      --all            Agent sessions of every project in the knowledge base, not only this one's
With --json: {sessions, totalCount, offset, limit} (for agent sessions, as the queryHistory
operation); with --jsonl: one session per line, as JSON.
`;

export const RESUME_HELP = `Usage: sessionlog resume [--max-tokens N] [--sessions N] [--json] [-e PATH] [--kb-root DIR]

Where the project's work left off, as Markdown for a person or a model: the next-session hint,
agent turns left in progress, open follow-ups, recent decisions and records, the newest agent
sessions and the last logged sessions (--sessions, default 3). --max-tokens keeps it within
about that many tokens (the last sessions are clipped first). With --json: the context as data.
`;

export async function runResume(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, { 'max-tokens': { type: 'string' }, sessions: { type: 'string' }, entry: { type: 'string', short: 'e' } });
  if (values.help) return io.out(RESUME_HELP);
  const context = await resumeContext(deps, {
    cwd: io.cwd,
    sessions: integer(values.sessions, '--sessions', 3),
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
    ...(values.entry !== undefined ? { entry: values.entry } : {}),
  });
  const maxTokens = values['max-tokens'] === undefined ? undefined : integer(values['max-tokens'], '--max-tokens', 4000, 500);
  const { text, truncated } = renderResume(context, maxTokens);
  if (values.json) {
    const { absolutePath, ...rest } = context;
    void absolutePath;
    return printJson(io, { ...rest, text, truncated });
  }
  io.out(text);
}

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
  const { values, positionals } = parse(
    argv,
    {
      tag: { type: 'string', multiple: true },
      tags: { type: 'string', multiple: true },
      'entry-tag': { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      project: { type: 'string' },
      agent: { type: 'string' },
      kind: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      jsonl: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return io.out(SEARCH_HELP);
  if (values.json && values.jsonl) throw new UsageError('give --json or --jsonl, not both.');
  const filters: SearchFilters = {
    tags: [...list(values.tag), ...list(values.tags)],
    entryTags: list(values['entry-tag']),
    ...optional({ since: values.since, until: values.until, project: values.project, agent: values.agent, kind: values.kind, status: values.status }),
  };
  const hasFilter = filters.tags!.length > 0 || filters.entryTags!.length > 0 || Object.keys(filters).length > 2;
  if (positionals.join('').trim() === '' && !hasFilter) throw new UsageError('search needs a QUERY or a filter such as --tag.');
  const hits = await searchSessions(deps, {
    ...filters,
    query: positionals.join(' '),
    limit: integer(values.limit, '--limit', 20, 1),
    fieldName: (field) => `--${FILTER_NAMES[field]}`,
    cwd: io.cwd,
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
  });
  if (values.json) return printJson(io, hits);
  if (values.jsonl) return io.out(hits.map((hit) => JSON.stringify(hit)).join('\n'));
  if (hits.length === 0) return io.out('No sessions found.');
  io.out(
    hits
      .map((hit) => {
        const ids = [hit.sessionId, hit.turnId].filter(Boolean).join(' ');
        const tags = hit.tags.length ? `  ${hit.tags.map((t) => `#${t}`).join(' ')}` : '';
        return `${hit.path}:${hit.line}  ${hit.kind}  ${hit.heading}${ids ? `  (${ids})` : ''}${tags}\n    ${markedSnippet({ text: hit.snippet, highlights: hit.highlights })}`;
      })
      .join('\n'),
  );
}

function optional<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}

export async function runHistory(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    limit: { type: 'string' },
    offset: { type: 'string' },
    entry: { type: 'string', short: 'e' },
    agents: { type: 'boolean' },
    agent: { type: 'string' },
    'stale-minutes': { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    tag: { type: 'string' },
    text: { type: 'string' },
    status: { type: 'string' },
    model: { type: 'string' },
    all: { type: 'boolean' },
    jsonl: { type: 'boolean' },
  });
  if (values.help) return io.out(HISTORY_HELP);
  if (values.json && values.jsonl) throw new UsageError('give --json or --jsonl, not both.');
  if (values.agents || values.agent !== undefined || values.status !== undefined || values.model !== undefined || values.all) {
    if (values.entry !== undefined) {
      throw new UsageError('--entry applies to logged sessions, not to agent sessions (--agents, --agent, --status, --model, --all).');
    }
    return agentHistory(deps, io, values);
  }
  const now = deps.clock.now();
  const page = await flagErrors(() =>
    sessionHistory(deps, {
      limit: integer(values.limit, '--limit', 20, 1),
      offset: integer(values.offset, '--offset', 0),
      cwd: io.cwd,
      ...(values.entry !== undefined ? { entry: values.entry } : {}),
      ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
      ...(values.since !== undefined ? { since: timeFilter(values.since, 'since', now, false) } : {}),
      ...(values.until !== undefined ? { until: timeFilter(values.until, 'until', now, true) } : {}),
      ...(values.tag !== undefined ? { tag: values.tag } : {}),
      ...(values.text !== undefined ? { text: values.text } : {}),
    }),
  );
  if (values.json) return printJson(io, page);
  if (values.jsonl) return io.out(page.sessions.map((session) => JSON.stringify({ path: page.path, ...session })).join('\n'));
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

interface AgentHistoryFlags {
  limit?: string;
  offset?: string;
  agent?: string;
  'stale-minutes'?: string;
  json?: boolean;
  jsonl?: boolean;
  'kb-root'?: string;
  since?: string;
  until?: string;
  tag?: string;
  text?: string;
  status?: string;
  model?: string;
  all?: boolean;
}

async function agentHistory(deps: Deps, io: Io, values: AgentHistoryFlags): Promise<void> {
  const sessions = new AgentSessions(deps, {
    cwd: io.cwd,
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
    ...(values['stale-minutes'] !== undefined ? { staleAfterMinutes: integer(values['stale-minutes'], '--stale-minutes', 30) } : {}),
  });
  const filters = Object.fromEntries(
    (['agent', 'since', 'until', 'tag', 'text', 'status', 'model'] as const).filter((key) => values[key] !== undefined).map((key) => [key, values[key]]),
  );
  const page = await flagErrors(() =>
    sessions.queryHistory(
      decodeHistoryQuery({
        limit: integer(values.limit, '--limit', 20, 1),
        offset: integer(values.offset, '--offset', 0),
        ...filters,
        ...(values.all ? { scope: 'all' } : {}),
      }),
    ),
  );
  if (values.json) return printJson(io, page);
  if (values.jsonl) return io.out(page.sessions.map((session) => JSON.stringify(session)).join('\n'));
  if (page.totalCount === 0) return io.out(`No agent sessions${values.agent ? ` by ${values.agent}` : ''} yet.`);
  const rows = page.sessions.map((session) => {
    const turns = `${session.turnCount} turn${session.turnCount === 1 ? '' : 's'}`;
    const stale = session.staleTurn ? `  STALE turn ${session.staleTurn}` : '';
    return `${session.sessionId}  ${session.status}  ${turns}  ${session.title}${stale}\n    ${session.path}  (last update ${session.lastUpdated})`;
  });
  const shown = `${page.offset + 1}-${page.offset + page.sessions.length} of ${page.totalCount}`;
  io.out([...rows, `(${page.sessions.length ? shown : `none past ${page.offset}; ${page.totalCount} in all`})`].join('\n'));
}

/** A filter's invalid_parameter in the CLI's words: the flag, as a usage error. */
async function flagErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SessionLogError && error.code === 'invalid_parameter' && typeof error.details.field === 'string') {
      throw new UsageError(`--${error.message}${error.hint ? ` ${error.hint.replace(/Give (\w+)/, 'Give --$1')}` : ''}`);
    }
    throw error;
  }
}

function firstLine(session: Session): string {
  return clip(session.message.split('\n')[0] ?? '', 100);
}
