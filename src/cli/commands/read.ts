import type { Deps } from '../../core/ports';
import type { Session } from '../../core/model/session';
import { sessionHistory } from '../../core/usecases/history';
import { getEntry } from '../../core/usecases/readEntries';
import { searchSessions } from '../../core/usecases/search';
import { integer, list, parse, UsageError } from '../args';
import { printJson, type Io } from '../io';

export const GET_HELP = `Usage: sessionlog get PATH [--json] [--kb-root DIR]

Print an entry of the knowledge base (PATH is relative to its root).
With --json: {path, frontmatter, sessions}.
`;

export const SEARCH_HELP = `Usage: sessionlog search QUERY [--tags=a,b] [--limit N] [--json] [--kb-root DIR]

Find sessions across the knowledge base. Every word of QUERY must appear in the session;
every tag must be on the session or its entry. Best matches first, then newest.
`;

export const HISTORY_HELP = `Usage: sessionlog history [--limit N] [--offset N] [-e PATH] [--json] [--kb-root DIR]

This project's sessions, newest first, a page at a time (default 20).
`;

export async function runGet(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, {}, true);
  if (values.help) return io.out(GET_HELP);
  if (positionals.length !== 1) throw new UsageError('get takes exactly one PATH, relative to the knowledge-base root.');
  const loaded = await getEntry(deps, positionals[0]!, { cwd: io.cwd, ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}) });
  if (values.json) return printJson(io, { path: loaded.path, frontmatter: loaded.entry.frontmatter, sessions: loaded.entry.sessions });
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
  const { values } = parse(argv, { limit: { type: 'string' }, offset: { type: 'string' }, entry: { type: 'string', short: 'e' } });
  if (values.help) return io.out(HISTORY_HELP);
  const page = await sessionHistory(deps, {
    limit: integer(values.limit, '--limit', 20, 1),
    offset: integer(values.offset, '--offset', 0),
    cwd: io.cwd,
    ...(values.entry !== undefined ? { entry: values.entry } : {}),
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
  });
  if (values.json) return printJson(io, page);
  if (page.totalCount === 0) return io.out(`No sessions in ${page.path} yet.`);
  const rows = page.sessions.map((session) => `${session.heading || '(no heading)'}  ${firstLine(session)}  (${page.path}:${session.startLine})`);
  const shown = `${page.offset + 1}-${page.offset + page.sessions.length} of ${page.totalCount}`;
  io.out([...rows, `(${page.sessions.length ? shown : `none past ${page.offset}; ${page.totalCount} in all`})`].join('\n'));
}

function firstLine(session: Session): string {
  const line = session.message.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
