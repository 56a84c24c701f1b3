import { listFollowUps, markFollowUp } from '../../core/usecases/followUps';
import type { Deps } from '../../core/ports';
import { integer, parse, UsageError } from '../args';
import { printJson, type Io } from '../io';

export const FOLLOW_UPS_HELP = `Usage: sessionlog follow-ups [--all] [--limit N] [--json] [-e PATH] [--kb-root DIR]
       sessionlog follow-ups done TEXT [--heading H] [--undo] [--json] [-e PATH] [--kb-root DIR]

The project's open follow-ups (the task lists logged sessions left), newest session first;
--all lists done ones too. 'done TEXT' ticks the follow-up with that text, as the Follow-ups
view does (--undo unticks it); --heading names its session when several have the text.
`;

export async function runFollowUps(deps: Deps, io: Io, argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      all: { type: 'boolean' },
      limit: { type: 'string' },
      entry: { type: 'string', short: 'e' },
      heading: { type: 'string' },
      undo: { type: 'boolean' },
    },
    true,
  );
  if (values.help) return io.out(FOLLOW_UPS_HELP);
  const options = { cwd: io.cwd, ...(values['kb-root'] ? { kbRoot: values['kb-root'] } : {}), ...(values.entry !== undefined ? { entry: values.entry } : {}) };
  if (positionals[0] === 'done') {
    const text = positionals.slice(1).join(' ');
    if (!text.trim()) throw new UsageError("follow-ups done takes the follow-up's TEXT, as listed.");
    const item = await markFollowUp(deps, { ...options, text, ...(values.heading !== undefined ? { heading: values.heading } : {}), done: !values.undo });
    if (values.json) return printJson(io, item);
    return io.out(`${item.done ? 'Done' : 'Reopened'}: ${item.text} (${item.path}:${item.sessionLine}, ${item.heading})`);
  }
  if (positionals.length > 0) throw new UsageError(`follow-ups takes no argument but 'done TEXT' (got '${positionals[0]}').`);
  if (values.heading !== undefined || values.undo) throw new UsageError("--heading and --undo go with 'follow-ups done TEXT'.");
  const items = await listFollowUps(deps, { ...options, all: !!values.all });
  const shown = items.slice(0, integer(values.limit, '--limit', 50, 1));
  if (values.json) return printJson(io, { followUps: shown, totalCount: items.length });
  if (items.length === 0) return io.out(values.all ? 'No follow-ups yet.' : 'No open follow-ups.');
  io.out(shown.map((item) => `[${item.done ? 'x' : ' '}] ${item.text}  (${item.heading}, ${item.path}:${item.sessionLine})`).join('\n'));
}
