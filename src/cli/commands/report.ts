import { isSessionLogError, SessionLogError } from '../../core/errors';
import type { Deps } from '../../core/ports';
import { renderHtml, renderMarkdown } from '../../core/report/render';
import { buildReport, type ReportInput } from '../../core/report/report';
import { saveReport } from '../../core/report/save';
import { loadWorkspace } from '../../core/context/resolve';
import { parse, UsageError } from '../args';
import { printJson, type Io } from '../io';
import { localTimeZone } from '../../core/report/zone';

export const REPORT_HELP = `Usage: sessionlog report [period] [scope] [--format md|json|html] [--save] [--tz ZONE] [--kb-root DIR]

What was done, decided and left open in a period, per project: sessions, agent turns
(completed, failed, superseded), decisions, follow-ups opened and done, files touched
most, days worked with the first and last session's time, and the next-session hint.

Period (this week when none is given; days are local to --tz):
      --week [this|last|YYYY-Www]    A calendar week, Monday to Sunday
      --month [this|last|YYYY-MM]    A calendar month
      --since DATE|Nd                From DATE (YYYY-MM-DD), or the last N days with today
      --until DATE                   To DATE, included (default today)

Scope (this folder's project when none is given):
      --project NAME                 One project of the knowledge base, by name or folder
      --all                          Every project of the knowledge base

Output:
      --format md|json|html          Markdown (default), JSON, or a self-contained HTML page
      --json                         Same as --format json
      --save                         Write it into the knowledge base as reports/<period>.md
                                     (reports/<project>/<period>.md for one project); saving
                                     again replaces it, and an unchanged report is left as it is
      --tz ZONE                      IANA time zone for days and times (default: this machine's)
  -h, --help                         Show this help
`;

const FORMATS = ['md', 'json', 'html'] as const;
const FLAG_OF: Record<string, string> = {
  since: '--since',
  until: '--until',
  week: '--week',
  month: '--month',
  timeZone: '--tz',
  project: '--project',
  period: 'the period',
};

/** `--week` and `--month` may stand alone (this week or month): parseArgs wants a value, so one is given. */
function withDefaultValues(argv: string[]): string[] {
  return argv.flatMap((arg, index) =>
    (arg === '--week' || arg === '--month') && (argv[index + 1] === undefined || argv[index + 1]!.startsWith('-')) ? [arg, 'this'] : [arg],
  );
}

export async function runReport(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values } = parse(withDefaultValues(argv), {
    week: { type: 'string' },
    month: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    project: { type: 'string' },
    all: { type: 'boolean' },
    format: { type: 'string' },
    save: { type: 'boolean' },
    tz: { type: 'string' },
  });
  if (values.help) return io.out(REPORT_HELP);
  const format = values.json ? 'json' : (values.format ?? 'md');
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format takes md, json or html (got '${format}').`);
  if (values.all && values.project !== undefined) throw new UsageError('Give --project NAME or --all, not both.');
  const options = { cwd: io.cwd, ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}) };
  const input: ReportInput = {
    ...options,
    timeZone: values.tz ?? localTimeZone(),
    ...(values.week !== undefined ? { week: values.week } : {}),
    ...(values.month !== undefined ? { month: values.month } : {}),
    ...(values.since !== undefined ? { since: values.since } : {}),
    ...(values.until !== undefined ? { until: values.until } : {}),
    ...(values.project !== undefined ? { project: values.project } : {}),
    ...(values.all ? { all: true } : {}),
  };
  const report = await buildReport(deps, input).catch((error: unknown) => {
    throw inFlagWords(error);
  });
  if (values.save) {
    const saved = await saveReport(deps, (await loadWorkspace(deps, options)).kbRoot, report);
    if (format === 'json') return printJson(io, saved);
    return io.out(`Report ${saved.action === 'unchanged' ? 'unchanged' : saved.action === 'created' ? 'saved' : 'updated'}: ${saved.path}`);
  }
  if (format === 'json') return printJson(io, report);
  io.out(format === 'html' ? renderHtml(report) : renderMarkdown(report));
}

/** The core names the field (`since`); on the command line it is the flag (`--since`). */
function inFlagWords(error: unknown): unknown {
  if (!isSessionLogError(error) || error.code !== 'invalid_input') return error;
  const field = String(error.details.field ?? '');
  const flag = FLAG_OF[field];
  if (!flag || !error.message.startsWith(field)) return error;
  return new SessionLogError(
    error.code,
    `${flag}${error.message.slice(field.length)}`,
    error.details,
    error.hint?.replace(new RegExp(`\\b${field}\\b`, 'g'), flag),
  );
}
