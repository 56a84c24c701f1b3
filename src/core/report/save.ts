import * as path from 'node:path';
import { SessionLogError } from '../errors';
import { readFrontmatter, yamlScalar } from '../format/frontmatter';
import { memexTime } from '../model/time';
import type { Deps } from '../ports';
import { withLock } from '../storage/lock';
import { REPORTS_FOLDER } from './collect';
import { renderMarkdown, reportTitle } from './render';
import type { Report } from './report';

/** Where a report is kept: `reports/2026-W48.md` for the whole knowledge base, `reports/<project>/2026-W48.md` for one project. */
export function reportPath(report: Report): string {
  const label = report.period.label.replace(/\.\./g, '_');
  const project = report.scope === 'project' ? report.projects[0]?.folder.split('/').pop() : undefined;
  return path.posix.join(REPORTS_FOLDER, ...(project ? [project] : []), `${label}.md`);
}

/**
 * The report as a knowledge-base entry, and a valid memex entry (created and updated in memex's naive
 * UTC): frontmatter, then the Markdown report, which links each project's entry.
 */
export function renderReportEntry(report: Report, times: { created: string; updated?: string }): string {
  const tags = ['report', ...new Set(report.projects.map((project) => project.name.toLowerCase().replace(/[^a-z0-9_./-]+/g, '-')).filter(Boolean))];
  return [
    '---',
    `title: ${yamlScalar(reportTitle(report))}`,
    'type: report',
    `created: '${times.created}'`,
    ...(times.updated ? [`updated: '${times.updated}'`] : []),
    `period: ${yamlScalar(report.period.label)}`,
    `since: '${report.period.since}'`,
    `until: '${report.period.until}'`,
    `timeZone: ${yamlScalar(report.period.timeZone)}`,
    'tags:',
    ...tags.map((tag) => `  - ${yamlScalar(tag)}`),
    '---',
    '',
    renderMarkdown(report),
  ].join('\n');
}

/**
 * Writes the report into the knowledge base. Saving the same report again changes nothing; a newer
 * report of the period replaces the one saved before. A file there that is not a saved report is never overwritten.
 */
export async function saveReport(deps: Deps, kbRoot: string, report: Report): Promise<{ path: string; action: 'created' | 'updated' | 'unchanged' }> {
  const relative = reportPath(report);
  const file = path.posix.join(kbRoot, relative);
  await deps.fs.mkdirp(path.posix.dirname(file));
  return withLock(deps, file, async () => {
    const existing = await deps.fs.readText(file);
    const now = memexTime(deps.clock.now());
    if (existing === undefined) {
      await deps.fs.writeAtomic(file, renderReportEntry(report, { created: now }));
      return { path: relative, action: 'created' as const };
    }
    let data: Record<string, unknown> | undefined;
    try {
      data = readFrontmatter(existing, file)?.data;
    } catch {
      data = undefined;
    }
    // The saved report keeps its creation time, so saving the same report again changes nothing.
    const created = naiveTime(data?.created) ?? now;
    const updated = naiveTime(data?.updated);
    if (existing === renderReportEntry(report, updated ? { created, updated } : { created })) return { path: relative, action: 'unchanged' as const };
    if (data?.type !== 'report') {
      throw new SessionLogError(
        'already_exists',
        `${relative} exists and is not a saved report, so it is left as it is.`,
        { file: relative },
        'Move or rename that file, then save the report again.',
      );
    }
    await deps.fs.writeAtomic(file, renderReportEntry(report, { created, updated: now }));
    return { path: relative, action: 'updated' as const };
  });
}

function naiveTime(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(value) ? value : undefined;
}
