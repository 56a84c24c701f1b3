/**
 * The Insights view's page: it only draws what the extension host counted (Observable Plot, bundled),
 * follows the color theme, and sends back the filters chosen and the marks clicked. Every mark is a
 * link (Tab reaches it, Enter follows it) with a label; every chart has a caption and a data table.
 */
import * as Plot from '@observablehq/plot';
import type { Insights, InsightsFilters, InsightsMark } from '../core/report/insights';
import type { Drawn, FromWebview, ToWebview } from '../extension/views/insightsMessages';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

const vscode = acquireVsCodeApi();
const nonce = document.currentScript?.getAttribute('nonce') ?? '';
const root = document.getElementById('root')!;
let current: Insights | undefined;

const OUTCOMES = ['completed', 'failed', 'superseded', 'in_progress'] as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The theme's colors, read from VS Code's CSS variables each time the page is drawn. */
function theme() {
  const style = getComputedStyle(document.body);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  // The theme's six chart colors first; two more for a seventh and eighth tag.
  const series = [
    ...[
      '--vscode-charts-blue',
      '--vscode-charts-orange',
      '--vscode-charts-green',
      '--vscode-charts-purple',
      '--vscode-charts-red',
      '--vscode-charts-yellow',
    ].map((name, i) => color(name, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]!)),
    '#e377c2',
    '#17becf',
  ];
  return {
    foreground: color('--vscode-foreground', '#cccccc'),
    series,
    outcome: [
      color('--vscode-charts-green', '#89d185'),
      color('--vscode-charts-red', '#f14c4c'),
      color('--vscode-charts-yellow', '#cca700'),
      color('--vscode-charts-blue', '#3794ff'),
    ],
    heat: color('--vscode-charts-green', '#89d185'),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** A mark's link: its key in the URL fragment, read back when it is followed. */
const href = (mark: InsightsMark) => `#${encodeURIComponent(JSON.stringify(mark))}`;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Plot's own <style> elements carry the page's nonce, so the strict policy lets them in. */
function withNonce<T extends Element>(node: T): T {
  for (const style of node.querySelectorAll('style')) style.setAttribute('nonce', nonce);
  return node;
}

function figure(id: string, title: string, caption: string, chart: Element | undefined, table: [string[], (string | InsightsMark)[][]]): HTMLElement {
  const [head, rows] = table;
  const body = rows.map((row) =>
    el(
      'tr',
      {},
      ...row.map((cell, i) => {
        if (typeof cell !== 'string') return el('td', {}, el('a', { href: href(cell), textContent: 'open' }));
        return el(i === 0 ? 'th' : 'td', { textContent: cell });
      }),
    ),
  );
  const details = el(
    'details',
    {},
    el('summary', { textContent: `${title}: data table` }),
    el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { textContent: h, scope: 'col' })))), el('tbody', {}, ...body)),
  );
  const fig = el('figure', { id }, el('h2', { textContent: title }));
  fig.setAttribute('aria-labelledby', `${id}-caption`);
  if (chart) fig.append(withNonce(chart));
  else fig.append(el('p', { className: 'empty', textContent: 'Nothing in this period.' }));
  fig.append(el('figcaption', { id: `${id}-caption`, textContent: caption }), details);
  return fig;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function draw(data: Insights): Drawn {
  const t = theme();
  const common = {
    style: { color: t.foreground, background: 'transparent', fontSize: '12px', overflow: 'visible' },
    marginLeft: 60,
    width: Math.max(600, root.clientWidth - 32),
  } as const;
  const drawn: Drawn = {
    calendarDays: data.calendar.length,
    sessions: 0,
    turns: 0,
    projectSessions: 0,
    tagSessions: 0,
    agentTurns: 0,
    decisions: data.decisions.length,
    links: 0,
    charts: [],
  };
  const parts: HTMLElement[] = [];

  // Activity calendar: a column per week, a row per weekday.
  const weekOf = (date: string) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d;
  };
  const dayOf = (date: string) => WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  for (const day of data.calendar) {
    drawn.sessions += day.sessions;
    drawn.turns += day.turns;
  }
  const busiest = Math.max(1, ...data.calendar.map((d) => d.sessions + d.turns));
  const label = (d: Insights['calendar'][number]) => `${d.date}: ${plural(d.sessions, 'session')}, ${plural(d.turns, 'agent turn')}`;
  parts.push(
    figure(
      'calendar',
      'Activity',
      `${plural(drawn.sessions, 'session')} and ${plural(drawn.turns, 'agent turn')} on ${plural(data.calendar.length, 'day')} from ${data.since} to ${data.until}.`,
      data.calendar.length
        ? Plot.plot({
            ...common,
            height: 160,
            marginLeft: 40,
            padding: 0.1,
            x: {
              type: 'band',
              tickFormat: (d: Date) => (d.getUTCDate() <= 7 ? d.toLocaleString('en', { month: 'short', timeZone: 'UTC' }) : ''),
              label: null,
              domain: weeks(data.since, data.until),
            },
            y: { domain: WEEKDAYS, label: null },
            marks: [
              Plot.cell(data.calendar, {
                // One color, more opaque with more activity: a day with one session still shows on any background.
                x: (d) => weekOf(d.date),
                y: (d) => dayOf(d.date),
                fill: t.heat,
                fillOpacity: (d) => 0.35 + 0.65 * Math.sqrt((d.sessions + d.turns) / busiest),
                inset: 0.5,
                stroke: t.highContrast ? t.foreground : null,
                title: label,
                ariaLabel: label,
                href: (d) => href({ chart: 'calendar', date: d.date }),
              }),
            ],
          })
        : undefined,
      [['Day', 'Sessions', 'Agent turns', ''], data.calendar.map((d) => [d.date, String(d.sessions), String(d.turns), { chart: 'calendar', date: d.date }])],
    ),
  );

  const weekly = (
    id: string,
    title: string,
    rows: { week: string; key: string; sessions: number }[],
    keyName: string,
    mark: (r: { week: string; key: string }) => InsightsMark,
  ) => {
    const total = rows.reduce((sum, r) => sum + r.sessions, 0);
    const keys = [...new Set(rows.map((r) => r.key))];
    const labelOf = (r: { week: string; key: string; sessions: number }) => `Week of ${r.week}, ${r.key}: ${plural(r.sessions, 'session')}`;
    parts.push(
      figure(
        id,
        title,
        `${plural(total, 'session')} per week by ${keyName}: ${keys.join(', ') || 'none'}.`,
        rows.length
          ? Plot.plot({
              ...common,
              height: 220,
              x: {
                type: 'band',
                domain: weekStarts(data.since, data.until),
                tickFormat: (w: string) =>
                  Number(w.slice(8)) <= 7 ? new Date(`${w}T00:00:00Z`).toLocaleString('en', { month: 'short', timeZone: 'UTC' }) : '',
                label: null,
              },
              y: { label: 'sessions', grid: true },
              color: { domain: keys, range: t.series, legend: true },
              marks: [
                Plot.barY(rows, { x: 'week', y: 'sessions', fill: 'key', title: labelOf, ariaLabel: labelOf, href: (r) => href(mark(r)) }),
                Plot.ruleY([0]),
              ],
            })
          : undefined,
        [['Week', keyName, 'Sessions', ''], rows.map((r) => [r.week, r.key, String(r.sessions), mark(r)])],
      ),
    );
    return total;
  };
  drawn.projectSessions = weekly(
    'projects',
    'Sessions per project',
    data.projectWeeks.map((r) => ({ week: r.week, key: r.project, sessions: r.sessions })),
    'project',
    (r) => ({ chart: 'projects', week: r.week, project: r.key }),
  );
  drawn.tagSessions = weekly(
    'tags',
    'Sessions per tag',
    data.tagWeeks.map((r) => ({ week: r.week, key: r.tag, sessions: r.sessions })),
    'tag',
    (r) => ({ chart: 'tags', week: r.week, tag: r.key }),
  );

  const agentLabel = (r: Insights['agentOutcomes'][number]) => `${r.agent}: ${plural(r.turns, 'turn')} ${r.outcome.replace('_', ' ')}`;
  drawn.agentTurns = data.agentOutcomes.reduce((sum, r) => sum + r.turns, 0);
  parts.push(
    figure(
      'agents',
      'Agent turns by outcome',
      data.agentOutcomes.length ? data.agentOutcomes.map(agentLabel).join('; ') + '.' : 'No agent turns in this period.',
      data.agentOutcomes.length
        ? Plot.plot({
            ...common,
            marginLeft: 90,
            height: 60 + 30 * new Set(data.agentOutcomes.map((r) => r.agent)).size,
            x: { label: 'turns', grid: true },
            y: { label: null },
            color: { domain: [...OUTCOMES], range: t.outcome, legend: true, tickFormat: (o: string) => o.replace('_', ' ') },
            marks: [
              Plot.barX(data.agentOutcomes, {
                y: 'agent',
                x: 'turns',
                fill: 'outcome',
                title: agentLabel,
                ariaLabel: agentLabel,
                href: (r) => href({ chart: 'agents', agent: r.agent, outcome: r.outcome }),
              }),
              Plot.ruleX([0]),
            ],
          })
        : undefined,
      [
        ['Agent', 'Outcome', 'Turns', ''],
        data.agentOutcomes.map((r) => [r.agent, r.outcome.replace('_', ' '), String(r.turns), { chart: 'agents', agent: r.agent, outcome: r.outcome }]),
      ],
    ),
  );

  const followUps = data.followUpWeeks.flatMap((w) => [
    { week: w.week, state: 'open', count: w.open },
    { week: w.week, state: 'done', count: w.done },
  ]);
  const lastWeek = data.followUpWeeks.at(-1);
  const followLabel = (r: { week: string; state: string; count: number }) => `Week of ${r.week}: ${r.count} ${r.state}`;
  parts.push(
    figure(
      'followUps',
      'Follow-ups: open and done',
      lastWeek ? `At the end: ${lastWeek.open} open, ${lastWeek.done} done.` : 'No follow-ups in this period.',
      followUps.length
        ? Plot.plot({
            ...common,
            height: 200,
            x: { type: 'utc', label: null },
            y: { label: 'follow-ups', grid: true },
            color: { domain: ['open', 'done'], range: [t.outcome[3]!, t.outcome[0]!], legend: true },
            marks: [
              Plot.lineY(followUps, { x: (r) => new Date(`${r.week}T00:00:00Z`), y: 'count', stroke: 'state', curve: 'step-after' }),
              Plot.dot(followUps, {
                x: (r) => new Date(`${r.week}T00:00:00Z`),
                y: 'count',
                fill: 'state',
                r: 4,
                title: followLabel,
                ariaLabel: followLabel,
                href: (r) => href({ chart: 'followUps', week: r.week }),
              }),
            ],
          })
        : undefined,
      [['Week', 'Open', 'Done', ''], data.followUpWeeks.map((w) => [w.week, String(w.open), String(w.done), { chart: 'followUps', week: w.week }])],
    ),
  );

  const decisionLabel = (d: Insights['decisions'][number]) => `${d.date}, ${d.project}: ${d.text}`;
  parts.push(
    figure(
      'decisions',
      'Decisions',
      `${plural(data.decisions.length, 'decision')} from ${data.since} to ${data.until}.`,
      data.decisions.length
        ? Plot.plot({
            ...common,
            height: 60 + 30 * new Set(data.decisions.map((d) => d.project)).size,
            marginLeft: 90,
            x: { type: 'utc', label: null, domain: [new Date(`${data.since}T00:00:00Z`), new Date(`${data.until}T00:00:00Z`)] },
            y: { label: null },
            marks: [
              Plot.dot(data.decisions, {
                x: (d) => new Date(`${d.date}T00:00:00Z`),
                y: 'project',
                r: 6,
                fill: (d) => (d.kind === 'record' ? t.series[3] : t.series[0]),
                stroke: t.foreground,
                symbol: (d: Insights['decisions'][number]) => (d.kind === 'record' ? 'diamond' : 'circle'),
                title: decisionLabel,
                ariaLabel: decisionLabel,
                href: (d) => href({ chart: 'decisions', path: d.path, line: d.line }),
              }),
            ],
          })
        : undefined,
      [['Date', 'Project', 'Decision', ''], data.decisions.map((d) => [d.date, d.project, d.text, { chart: 'decisions', path: d.path, line: d.line }])],
    ),
  );

  root.replaceChildren(header(data), ...parts);
  drawn.links = root.querySelectorAll('svg a').length;
  drawn.charts = [...root.querySelectorAll(':scope > figure')].filter((f) => f.querySelector('svg')).map((f) => f.id);
  return drawn;
}

/** The Monday of every week from `since` to `until`, as dates (the calendar's columns) or `YYYY-MM-DD` (the bars'). */
function weeks(since: string, until: string): Date[] {
  return weekStarts(since, until).map((w) => new Date(`${w}T00:00:00Z`));
}

function weekStarts(since: string, until: string): string[] {
  const d = new Date(`${since}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  const result: string[] = [];
  for (; d.toISOString().slice(0, 10) <= until; d.setUTCDate(d.getUTCDate() + 7)) result.push(d.toISOString().slice(0, 10));
  return result;
}

function header(data: Insights): HTMLElement {
  const select = (name: keyof InsightsFilters, label: string, options: [string, string][]) => {
    const node = el('select', { id: `filter-${name}` });
    for (const [value, text] of options) node.append(el('option', { value, textContent: text, selected: (data.filters[name] ?? '') === value }));
    node.addEventListener('change', () => {
      const filters: InsightsFilters = { ...data.filters, [name]: node.value || undefined };
      if (!node.value) delete filters[name];
      vscode.postMessage({ type: 'filter', filters });
    });
    return el('label', {}, `${label} `, node);
  };
  const t = data.totals;
  return el(
    'header',
    {},
    el('h1', { textContent: 'Session Insights' }),
    el('p', {
      className: 'totals',
      textContent: `${data.since} – ${data.until} (${data.timeZone}) · ${plural(t.sessions, 'session')} · ${plural(t.turns, 'agent turn')} · ${plural(t.decisions, 'decision')} · ${t.followUpsOpen} follow-ups open, ${t.followUpsDone} done`,
    }),
    el(
      'form',
      { className: 'filters', ariaLabel: 'Filters' },
      select('period', 'Period', [
        ['365d', 'Last year'],
        ['90d', 'Last 90 days'],
        ['30d', 'Last 30 days'],
        ['7d', 'Last 7 days'],
      ]),
      select('project', 'Project', [['', 'All projects'], ...data.choices.projects.map((p): [string, string] => [p.folder, p.name])]),
      select('agent', 'Agent', [['', 'All agents'], ...data.choices.agents.map((a): [string, string] => [a, a])]),
      select('tag', 'Tag', [['', 'All tags'], ...data.choices.tags.map((tag): [string, string] => [tag, `#${tag}`])]),
    ),
  );
}

/** A followed mark (click, or Enter on a focused link) goes to the host, which opens what it counts. */
root.addEventListener('click', (event) => {
  const link = (event.target as Element).closest('a');
  const target = link?.getAttribute('href') ?? link?.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
  if (!target?.startsWith('#')) return;
  event.preventDefault();
  vscode.postMessage({ type: 'open', mark: JSON.parse(decodeURIComponent(target.slice(1))) as InsightsMark });
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'error') {
    root.replaceChildren(el('p', { className: 'error', role: 'alert', textContent: message.message }));
    return;
  }
  current = message.insights;
  redraw();
});

function redraw(): void {
  if (!current) return;
  try {
    vscode.postMessage({ type: 'drawn', drawn: draw(current) });
  } catch (error) {
    root.replaceChildren(el('p', { className: 'error', role: 'alert', textContent: `The charts could not be drawn: ${String(error)}` }));
    vscode.postMessage({ type: 'failed', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
  }
}

// The theme changes the body's classes: draw again in its colors.
new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
vscode.postMessage({ type: 'ready' });
