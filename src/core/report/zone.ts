import { SessionLogError } from '../errors';

const DAY_MS = 86_400_000;
const SLOT_MS = 15 * 60_000;

/** `YYYY-MM-DD` plus `days` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** 1 (Monday) to 7 (Sunday). */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() || 7;
}

/** The ISO week of a date: `2026-W48` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: string): string {
  const thursday = addDays(date, 4 - weekday(date));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week `YYYY-Www`. */
export function isoWeekMonday(week: string): string {
  const [year, number] = [Number(week.slice(0, 4)), Number(week.slice(6))];
  const jan4 = `${year}-01-04`;
  return addDays(addDays(jan4, 1 - weekday(jan4)), (number - 1) * 7);
}

/** This machine's IANA time zone, where days and times are read by default (UTC where the runtime does not say). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Local dates and times in one IANA time zone (`Europe/Berlin`, `UTC`): what a day, a week and a
 * first session's time mean to the reader. Offsets are asked of Intl once per quarter hour of UTC
 * time (every zone changes its offset on one), so thousands of sessions cost a map lookup each.
 */
export class Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly name: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      throw new SessionLogError(
        'invalid_input',
        `'${name}' is not a time zone.`,
        { field: 'timeZone', value: name },
        'Give an IANA time zone such as Europe/Berlin, America/New_York or UTC.',
      );
    }
  }

  /** Minutes to add to UTC for local time at `ms`. */
  offset(ms: number): number {
    const slot = Math.floor(ms / SLOT_MS);
    let offset = this.offsets.get(slot);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const part of this.format.formatToParts(slot * SLOT_MS)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
      offset = Math.round((Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - slot * SLOT_MS) / 60_000);
      this.offsets.set(slot, offset);
    }
    return offset;
  }

  private readonly dates = new Map<number, string>();

  /** The local `YYYY-MM-DD` of an instant, without making a Date for each (a year has few days, a log many sessions). */
  date(ms: number): string {
    const day = Math.floor((ms + this.offset(ms) * 60_000) / DAY_MS);
    let date = this.dates.get(day);
    if (date === undefined) this.dates.set(day, (date = new Date(day * DAY_MS).toISOString().slice(0, 10)));
    return date;
  }

  /** The local `YYYY-MM-DD` and `HH:MM` of an instant. */
  local(ms: number): { date: string; time: string } {
    const iso = new Date(ms + this.offset(ms) * 60_000).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
  }

  /** The instant local `date` begins (its first minute, also on a day that starts in a DST gap). */
  startOf(date: string): number {
    const wall = Date.parse(`${date}T00:00:00Z`);
    const first = wall - this.offset(wall) * 60_000;
    const second = wall - this.offset(first) * 60_000;
    return this.local(second).date === date ? second : first;
  }
}
