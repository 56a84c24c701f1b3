import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Deps } from '../../core/ports';
import { parseDecision } from '../../core/model/decode';
import { logSession } from '../../core/usecases/logSession';
import { syncKnowledgeBase } from '../../core/usecases/sync';
import { list, parse, UsageError } from '../args';
import { decodeUtf8, printJson, type Io } from '../io';

const LOG_HELP = `Usage: sessionlog log (-m TEXT | -f FILE | --stdin) [options]
       (also: sessionlog session-log ...)

Log a session to the project's session entry (resolved from .kbcontext, or --entry).

Message (exactly one):
  -m, --message TEXT     The session summary
  -f, --file PATH        Read the message from a file
      --stdin            Read the message from standard input

Where:
  -e, --entry PATH       Entry path relative to the knowledge-base root (overrides .kbcontext)
      --kb-root DIR      Knowledge-base root (overrides MEMEX_KB_ROOT)

Content:
      --tags a,b         Tags, added as #a #b (plus .kbcontext default_tags)
      --links a.md,b.md  Wiki links, written as Related: [[a.md]], [[b.md]]
      --files a,b        Files modified
      --files-from-git   Add files changed in the working tree and since the last logged session
      --decision "D :: R"  A decision and its rationale (repeatable)
      --follow-up TEXT   A follow-up task (repeatable)
      --next TEXT        Context for the next session
      --no-timestamp     Write no timestamp heading (as memex does)

Output and safety:
      --json             Print {path, action, project, context_source}
      --backup           Keep the previous version as <entry>.bak
      --sync             Sync the knowledge base through git afterwards (sessionlog sync)
      --no-redact        Keep secrets as written (by default tokens, keys and
                         passwords become [REDACTED:kind])
  -h, --help             Show this help
`;

export async function runLog(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    message: { type: 'string', short: 'm' },
    file: { type: 'string', short: 'f' },
    stdin: { type: 'boolean' },
    entry: { type: 'string', short: 'e' },
    tags: { type: 'string', multiple: true },
    links: { type: 'string', multiple: true },
    files: { type: 'string', multiple: true },
    'files-from-git': { type: 'boolean' },
    decision: { type: 'string', multiple: true },
    'follow-up': { type: 'string', multiple: true },
    next: { type: 'string' },
    'no-timestamp': { type: 'boolean' },
    backup: { type: 'boolean' },
    'no-redact': { type: 'boolean' },
    sync: { type: 'boolean' },
  });
  if (values.help) return io.out(LOG_HELP);
  const sources = [values.message !== undefined, values.file !== undefined, !!values.stdin].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('Provide exactly one of -m/--message, -f/--file or --stdin.');

  const result = await logSession(deps, {
    message: await readMessage(io, values),
    tags: list(values.tags),
    links: list(values.links),
    files: list(values.files),
    filesFromGit: !!values['files-from-git'],
    decisions: (values.decision ?? []).map(parseDecision),
    followUps: values['follow-up'] ?? [],
    ...(values.next !== undefined ? { next: values.next } : {}),
    ...(values.entry !== undefined ? { entry: values.entry } : {}),
    ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}),
    noTimestamp: !!values['no-timestamp'],
    backup: !!values.backup,
    redact: !values['no-redact'],
    cwd: io.cwd,
  });
  if (values.sync) await syncKnowledgeBase(deps, { cwd: io.cwd, ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}) });
  if (values.json) {
    return printJson(io, { path: result.path, action: result.action, project: result.project, context_source: result.context_source });
  }
  const { record } = result;
  const lines = [`Session ${result.action === 'created' ? 'logged to new entry' : 'logged to'}: ${result.path}`];
  if (record.files.length || record.decisions.length || record.followUps.length || record.next) {
    lines.push(
      '',
      'Recorded:',
      `- Summary: ${record.message.split('\n')[0]}`,
      `- Files: ${record.files.length} modified`,
      `- Decisions: ${record.decisions.length} recorded`,
      `- Follow-ups: ${record.followUps.length} tasks`,
    );
    if (record.next) lines.push('', `Next session hint: ${record.next.split('\n')[0]}`);
  }
  io.out(lines.join('\n'));
}

async function readMessage(io: Io, values: { message?: string; file?: string; stdin?: boolean }): Promise<string> {
  if (values.message !== undefined) return values.message;
  if (values.stdin) return io.readStdin();
  const file = path.resolve(io.cwd, values.file!);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new UsageError(`--file ${values.file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  return decodeUtf8(bytes, `--file ${values.file}`);
}
