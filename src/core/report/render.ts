import type { OutcomeCounts, ProjectReport, Report } from './report';
import { plural } from '../format/escape';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mon 23 Nov`, with the year when asked. */
export function dayName(date: string, withYear = false): string {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = WEEKDAYS[(new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7];
  return `${weekday} ${d} ${MONTHS[m! - 1]}${withYear ? ` ${y}` : ''}`;
}

export function reportTitle(report: Report): string {
  const { period } = report;
  const kind = period.kind === 'week' ? 'Week' : period.kind === 'month' ? 'Month' : 'Report';
  const scope = report.scope === 'project' && report.projects.length === 1 ? ` · ${report.projects[0]!.name}` : '';
  return `${kind} ${period.label}${scope}`;
}

function outcomes(counts: OutcomeCounts): string {
  const parts = [`${counts.completed} completed`, `${counts.failed} failed`, `${counts.superseded} superseded`];
  if (counts.in_progress) parts.push(`${counts.in_progress} in progress`);
  return parts.join(', ');
}

/** One line of totals: the stand-up in a sentence. */
export function reportSummary(report: Report): string {
  const t = report.totals;
  return [
    report.scope === 'all' ? plural(t.projects, 'project') : undefined,
    plural(t.sessions, 'session'),
    `${plural(t.turns, 'agent turn')}${t.turns ? ` (${outcomes(t)})` : ''}`,
    plural(t.decisions, 'decision'),
    `${plural(t.followUpsOpened, 'follow-up')} opened, ${t.followUpsDone} done`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A line of text that cannot open a heading, a list or a link in Markdown. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\[\[/g, '[\u200b[');
}

/** The report as Markdown: readable as a stand-up or weekly note as it is, and as a knowledge-base entry. */
export function renderMarkdown(report: Report): string {
  const { period } = report;
  const lines = [
    `# ${reportTitle(report)}`,
    '',
    `${dayName(period.since, true)} – ${dayName(period.until, true)} (${period.timeZone}) · ${reportSummary(report)}`,
  ];
  if (report.projects.length === 0) lines.push('', 'Nothing was logged in this period.');
  for (const project of report.projects) lines.push('', ...projectMarkdown(project, report.scope === 'all'));
  if (report.skipped.length) lines.push('', '## Not read', '', ...report.skipped.map((item) => `- ${inline(item)}`));
  return `${lines.join('\n')}\n`;
}

function projectMarkdown(project: ProjectReport, heading: boolean): string[] {
  const lines: string[] = heading ? [`## ${project.name}`, ''] : [];
  if (project.entry) lines.push(`Related: [[${project.entry}]]`, '');
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push(`${heading ? '###' : '##'} ${title}`, '', ...items, '');
  };
  section(
    'Days worked',
    project.days.map(
      (day) =>
        `- ${dayName(day.date)}: ${day.first === day.last ? day.first : `${day.first}–${day.last}`} · ${[
          day.sessions ? plural(day.sessions, 'session') : '',
          day.turns ? plural(day.turns, 'agent turn') : '',
        ]
          .filter(Boolean)
          .join(', ')}`,
    ),
  );
  section(
    'Sessions',
    project.sessions.map((s) => `- ${dayName(s.date)} ${s.time} · ${inline(s.summary)}${s.tags.length ? ` ${s.tags.map((tag) => `#${tag}`).join(' ')}` : ''}`),
  );
  const { turns } = project;
  section(
    'Agent turns',
    turns.byAgent.length === 0
      ? []
      : [
          ...turns.byAgent.map((agent) => `- ${agent.agent}: ${outcomes(agent)}`),
          ...turns.notCompleted.map(
            (turn) => `  - ${turn.outcome} (${turn.agent}, ${dayName(turn.date)}): ${inline(turn.title)}${turn.error ? ` · ${inline(turn.error)}` : ''}`,
          ),
        ],
  );
  section('Decisions', [
    ...project.decisions.map((d) => `- ${inline(d.decision)}${d.rationale ? ` · ${inline(d.rationale)}` : ''} (${dayName(d.date)})`),
    ...project.records.map((r) => `- ${r.id}: ${inline(r.title)} (${r.status}, ${dayName(r.date)}) [[${r.path}]]`),
  ]);
  section(
    `Follow-ups (${project.followUps.opened} opened, ${project.followUps.done} done)`,
    project.followUps.items.map((f) => `- [${f.done ? 'x' : ' '}] ${inline(f.text)} (${dayName(f.date)})`),
  );
  section(
    'Files touched most',
    project.filesTouched.map((f) => `- \`${f.file.replace(/`/g, "'")}\` (${f.count})`),
  );
  section('Next session', project.next ? [`- ${inline(project.next.text)} (left ${dayName(project.next.date)})`] : []);
  while (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The report as one self-contained HTML page (no scripts, no remote content), to mail or print. */
export function renderHtml(report: Report): string {
  const body = renderMarkdown(report).split('\n');
  const html: string[] = [];
  let list = false;
  const close = () => {
    if (list) html.push('</ul>');
    list = false;
  };
  const text = (line: string) =>
    escapeHtml(line)
      .replace(/\[\[([^\]]+)\]\]/g, '<code>$1</code>')
      .replace(/`([^`]+)`/g, '<code>$1</code>');
  for (const line of body) {
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      close();
      html.push(`<h${heading[1]!.length}>${text(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (/^\s*- /.test(line)) {
      if (!list) html.push('<ul>');
      list = true;
      const item = line.replace(/^\s*- /, '');
      const task = /^\[([ x])\] (.*)$/.exec(item);
      html.push(
        `<li${/^\s{2}/.test(line) ? ' class="sub"' : ''}>${task ? `<input type="checkbox" disabled${task[1] === 'x' ? ' checked' : ''}> ${text(task[2]!)}` : text(item)}</li>`,
      );
    } else if (line.trim()) {
      close();
      html.push(`<p>${text(line)}</p>`);
    } else close();
  }
  close();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(reportTitle(report))}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: CanvasText; background: Canvas; }
h2 { border-bottom: 1px solid GrayText; padding-bottom: .2rem; margin-top: 2rem; }
li.sub { margin-left: 1.5rem; list-style: circle; }
code { font-size: 90%; }
</style>
</head>
<body>
${html.join('\n')}
</body>
</html>
`;
}
