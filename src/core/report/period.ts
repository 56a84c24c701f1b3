import { SessionLogError } from '../errors';
import { addDays, isoWeek, isoWeekMonday, weekday, type Zone } from './zone';

/** What the reader asked for: a range (`--since`/`--until`), a calendar week or a calendar month. */
export interface PeriodInput {
  /** `YYYY-MM-DD`, or `Nd` for the last N days with today. */
  since?: string;
  /** `YYYY-MM-DD` (included); today when left out. */
  until?: string;
  /** `this`, `last` or `YYYY-Www`. */
  week?: string;
  /** `this`, `last` or `YYYY-MM`. */
  month?: string;
}

/** A period of whole local days. */
export interface Period {
  kind: 'week' | 'month' | 'range';
  /** `2026-W48`, `2026-11`, or `2026-11-01..2026-11-30`: the report's name. */
  label: string;
  /** First and last local day, included. */
  since: string;
  until: string;
  timeZone: string;
  /** The instants it spans, as ms: [start, end). */
  start: number;
  end: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function bad(field: string, value: string, hint: string): SessionLogError {
  return new SessionLogError(
    'invalid_input',
    `${field} '${value}' is not a ${field === 'week' ? 'week' : field === 'month' ? 'month' : 'date'} I can read.`,
    { field, value },
    hint,
  );
}

function checkedDate(field: string, value: string): string {
  const parsed = Date.parse(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== value) {
    throw bad(field, value, `Give ${field} as YYYY-MM-DD, e.g. 2026-11-23${field === 'since' ? ', or as 7d for the last seven days' : ''}.`);
  }
  return value;
}

/** The period asked for, in the reader's time zone; this week when nothing is asked. */
export function resolvePeriod(input: PeriodInput, now: Date, zone: Zone): Period {
  const today = zone.local(now.getTime()).date;
  const make = (kind: Period['kind'], label: string, since: string, until: string): Period => ({
    kind,
    label,
    since,
    until,
    timeZone: zone.name,
    start: zone.startOf(since),
    end: zone.startOf(addDays(until, 1)),
  });
  const chosen = [input.week !== undefined, input.month !== undefined, input.since !== undefined || input.until !== undefined].filter(Boolean).length;
  if (chosen > 1) {
    throw new SessionLogError(
      'invalid_input',
      'Choose one period: a week, a month, or since/until.',
      { field: 'period' },
      'Give only one of week, month, or since (with until).',
    );
  }
  if (input.month !== undefined) {
    const value = input.month.trim();
    const month = value === 'this' || value === '' ? today.slice(0, 7) : value === 'last' ? addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7) : value;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw bad('month', value, 'Give the month as this, last or YYYY-MM, e.g. 2026-11.');
    const first = `${month}-01`;
    return make('month', month, first, addDays(`${addDays(first, 32).slice(0, 7)}-01`, -1));
  }
  if (input.week !== undefined || (input.since === undefined && input.until === undefined)) {
    const value = (input.week ?? 'this').trim();
    const thisMonday = addDays(today, 1 - weekday(today));
    let monday: string;
    if (value === 'this' || value === '') monday = thisMonday;
    else if (value === 'last') monday = addDays(thisMonday, -7);
    else if (/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(value) && isoWeek(isoWeekMonday(value)) === value) monday = isoWeekMonday(value);
    else throw bad('week', value, 'Give the week as this, last or YYYY-Www, e.g. 2026-W48.');
    return make('week', isoWeek(monday), monday, addDays(monday, 6));
  }
  const until = input.until === undefined ? today : checkedDate('until', input.until.trim());
  const sinceValue = (input.since ?? '').trim();
  const days = /^(\d+)d$/.exec(sinceValue);
  let since: string;
  if (days) {
    if (Number(days[1]) < 1) throw bad('since', sinceValue, 'Give at least 1d.');
    since = addDays(until, 1 - Number(days[1]));
  } else since = input.since === undefined ? until : checkedDate('since', sinceValue);
  if (since > until) {
    throw new SessionLogError('invalid_input', `since ${since} is after until ${until}.`, { field: 'since', since, until }, 'Give a since on or before until.');
  }
  return make('range', since === until ? since : `${since}..${until}`, since, until);
}
