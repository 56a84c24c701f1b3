import { buildReport, type Report } from '../core/report/report';
import type { FolderContext } from './folders';
import { localTimeZone } from '../core/report/zone';

/** `this`/`last` week, or a month: `this month`/`last month`. */
export type ReportPeriod = 'this' | 'last' | 'this month' | 'last month';

/** A folder's report of a period, days and times in the reader's time zone: what Weekly Report and the chat's /report show. */
export async function folderReport(folder: FolderContext, period: ReportPeriod, all = false): Promise<Report> {
  return buildReport(folder.deps, {
    ...(await folder.options()),
    ...(period.endsWith('month') ? { month: period.split(' ')[0]! } : { week: period }),
    timeZone: localTimeZone(),
    ...(all ? { all: true } : {}),
  });
}
