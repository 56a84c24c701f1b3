import * as path from 'node:path';
import { detectProject, projectTag } from '../context/project';
import { loadWorkspace, resolveEntry, type WorkspaceOptions } from '../context/resolve';
import { SessionLogError } from '../errors';
import { normalizeItem, normalizeText } from '../format/escape';
import { readFrontmatter, yamlScalar } from '../format/frontmatter';
import { ADR_STATUSES, decisionStatus, type AdrStatus } from '../model/decision';
import { isoSeconds, memexTime } from '../model/time';
import type { Deps } from '../ports';
import { withLock } from '../storage/lock';

/** Architecture decision records (the log-session skill's ADRs) live in `decisions/` beside the project's entry. */
export const DECISIONS_FOLDER = 'decisions';
export { ADR_STATUSES, type AdrStatus } from '../model/decision';

interface DecisionInput extends WorkspaceOptions {
  title: string;
  context?: string;
  decision: string;
  rationale?: string;
  alternatives?: string[];
  consequences?: string[];
  status?: AdrStatus;
  entry?: string;
}

export interface DecisionRecord {
  id: string;
  title: string;
  status: string;
  date: string;
  /** Relative to the knowledge-base root. */
  path: string;
}

const ADR_FILE = /^ADR-(\d{3,})(?:-.*)?\.md$/;

async function decisionsFolder(
  deps: Deps,
  options: WorkspaceOptions & { entry?: string },
): Promise<{ kbRoot: string; dir: string; cwd: string; context?: import('../context/kbcontext').KbContext }> {
  const workspace = await loadWorkspace(deps, options);
  const resolved = await resolveEntry(deps, workspace, options.entry);
  return {
    kbRoot: workspace.kbRoot,
    cwd: workspace.cwd,
    dir: path.posix.join(path.posix.dirname(resolved.entryPath), DECISIONS_FOLDER),
    ...(workspace.context ? { context: workspace.context } : {}),
  };
}

/** Writes the next `ADR-NNN` record; numbering is taken under a lock so two writers never share a number. */
export async function recordDecision(deps: Deps, input: DecisionInput): Promise<DecisionRecord> {
  const title = normalizeItem(input.title ?? '');
  const decision = normalizeText(input.decision ?? '');
  if (!title) {
    throw new SessionLogError('invalid_input', 'The decision needs a title.', { field: 'title' }, 'Give a short title, e.g. "Use JWT for authentication".');
  }
  if (!decision) throw new SessionLogError('invalid_input', 'The decision text is empty.', { field: 'decision' }, 'Say what was decided.');
  const status = input.status ?? 'accepted';
  if (!ADR_STATUSES.includes(status)) {
    throw new SessionLogError(
      'invalid_input',
      `status '${status}' is not one of ${ADR_STATUSES.join(', ')}.`,
      { field: 'status' },
      `Use one of ${ADR_STATUSES.join(', ')}.`,
    );
  }
  const { kbRoot, dir, cwd, context } = await decisionsFolder(deps, input);
  const project = await detectProject(deps, cwd, context);
  const now = deps.clock.now();
  const date = isoSeconds(now).slice(0, 10);
  await deps.fs.mkdirp(dir);
  return withLock(deps, path.posix.join(dir, 'ADR'), async () => {
    const numbers = (await deps.fs.list(dir))
      .map((entry) => ADR_FILE.exec(entry.name)?.[1])
      .filter(Boolean)
      .map(Number);
    const id = `ADR-${String(Math.max(0, ...numbers) + 1).padStart(3, '0')}`;
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '');
    const file = path.posix.join(dir, `${id}${slug ? `-${slug}` : ''}.md`);
    const tags = ['adr', 'decision', ...(projectTag(project.name) ? [projectTag(project.name)!] : [])];
    const list = (items: string[] | undefined) =>
      (items ?? [])
        .map(normalizeItem)
        .filter(Boolean)
        .map((item) => `- ${item}`)
        .join('\n');
    const sections: [string, string][] = [
      ['Context', normalizeText(input.context ?? '')],
      ['Decision', decision],
      ['Rationale', normalizeText(input.rationale ?? '')],
      ['Alternatives considered', list(input.alternatives)],
      ['Consequences', list(input.consequences)],
    ];
    // A valid memex entry (created in its naive UTC, status one of its own); the record's status is decisionStatus.
    const text = [
      '---',
      `id: ${id}`,
      `title: ${yamlScalar(title)}`,
      `created: '${memexTime(now)}'`,
      `date: '${date}'`,
      'status: published',
      `decisionStatus: ${status}`,
      'tags:',
      ...tags.map((tag) => `  - ${yamlScalar(tag)}`),
      '---',
      '',
      `# ${id}: ${title}`,
      '',
      `**Status:** ${status} · **Date:** ${date}`,
      '',
      ...sections.filter(([, body]) => body).flatMap(([heading, body]) => [`## ${heading}`, '', body, '']),
    ].join('\n');
    if (!(await deps.fs.createExclusive(file, text))) {
      throw new SessionLogError('already_exists', `${file} already exists.`, { file }, 'Try again; the next number will be used.');
    }
    return { id, title, status, date, path: path.posix.relative(kbRoot, file) };
  });
}

/** The project's decision records, newest number first. */
export async function listDecisions(deps: Deps, options: WorkspaceOptions & { entry?: string } = {}): Promise<DecisionRecord[]> {
  const { kbRoot, dir } = await decisionsFolder(deps, options);
  const names = (await deps.fs.list(dir)).filter((entry) => entry.isFile && ADR_FILE.test(entry.name)).map((entry) => entry.name);
  names.sort((a, b) => Number(ADR_FILE.exec(b)![1]) - Number(ADR_FILE.exec(a)![1]));
  return Promise.all(
    names.map(async (name) => {
      const file = path.posix.join(dir, name);
      const data = readFrontmatter((await deps.fs.readText(file)) ?? '', file)?.data ?? {};
      const text = (key: string, fallback: string) => (typeof data[key] === 'string' ? (data[key] as string) : fallback);
      return {
        id: text('id', name.slice(0, name.indexOf('-', 4) > 0 ? name.indexOf('-', 4) : -3)),
        title: text('title', name),
        status: decisionStatus(data) ?? 'unknown',
        date: text('date', ''),
        path: path.posix.relative(kbRoot, file),
      };
    }),
  );
}
