import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentSession } from '../../core/agent/model';
import type { SessionHistoryItem } from '../../core/agent/sessions';
import { isSessionLogError } from '../../core/errors';
import { listFollowUps, type FollowUpItem } from '../../core/usecases/followUps';
import { sessionHistory, type HistoryPage } from '../../core/usecases/history';
import { inlineName, splitInlineFilters } from '../../core/search/query';
import { searchSessions, type SearchHit } from '../../core/usecases/search';
import { EntryCache } from '../../core/usecases/readEntries';
import type { FolderContext, FolderRegistry, Resolution } from '../folders';

export type PageKind = 'sessions' | 'agents' | 'all';

/** Everything the views show of one folder, read at one moment. */
export interface FolderState {
  folder: FolderContext;
  resolution: Resolution;
  /** The entry's sessions, newest first, as many as are shown. */
  history?: HistoryPage;
  /** The newest agent sessions, as many as are shown. */
  agents?: { sessions: SessionHistoryItem[]; totalCount: number };
  followUps: FollowUpItem[];
  /** What failed while reading (an unparseable entry, an unreadable agent session). */
  problems: unknown[];
}

/** A page of the All Projects list. */
interface AllProjectsPage {
  kbRoot: string;
  hits: SearchHit[];
  /** Whether there are more past the page. */
  more: boolean;
}

/** The state of the whole view, for its welcome content. */
type ViewState = 'noFolder' | 'noContext' | 'empty' | 'ready';

const RELOAD_DELAY_MS = 150;

/**
 * What the Sessions and Follow-ups views show: each folder's entry, agent sessions and open
 * follow-ups, read once per change (parsed entries are cached while the file is unchanged) and
 * announced through onDidChange. Views only map it to items; nothing here is read for them.
 */
export class SessionsModel implements vscode.Disposable {
  private readonly states = new Map<string, Promise<FolderState>>();
  private readonly caches = new Map<string, EntryCache>();
  private readonly agentSessions = new Map<string, Promise<AgentSession & { path: string }>>();
  private readonly shown = new Map<string, number>();
  private readonly allProjects = new Map<string, Promise<AllProjectsPage>>();
  private readonly filters = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private version = 0;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly folders: FolderRegistry,
    private readonly onProblem: (error: unknown, folder: FolderContext) => void,
  ) {
    this.disposables.push(
      folders.onDidChange(() => this.reload()),
      // This extension's own writes, as the folders' file systems announce them: read again at once.
      folders.onDidWrite(({ folder, file }) => this.reload(folder, { resolution: path.posix.basename(file) === '.kbcontext', now: true })),
    );
  }

  /** The folder's state: the last one read, or the one being read now. */
  state(folder: FolderContext): Promise<FolderState> {
    return kept(this.states, folder.key, () => this.read(folder));
  }

  /** How many items of a list are shown (pages grow with "Load more"). */
  shownCount(folder: FolderContext, kind: PageKind): number {
    return this.shown.get(`${kind}:${folder.key}`) ?? folder.config().pageSize;
  }

  showMore(folder: FolderContext, kind: PageKind): void {
    this.shown.set(`${kind}:${folder.key}`, this.shownCount(folder, kind) + folder.config().pageSize);
    this.states.delete(folder.key);
    this.allProjects.delete(folder.key);
    this.changed.fire();
  }

  /** The All Projects filter of the folder's knowledge base, as typed (`tag:auth project:myapp since:7d`, words too). */
  filterOf(folder: FolderContext): string {
    return this.filters.get(folder.key) ?? '';
  }

  setFilter(folder: FolderContext, text: string): void {
    this.filters.set(folder.key, text.trim());
    this.shown.delete(`all:${folder.key}`);
    this.allProjects.delete(folder.key);
    this.changed.fire();
  }

  /**
   * Sessions of every project of the folder's knowledge base, newest first (or best first when the
   * filter has words), a page at a time: the core's search with only filters lists what they keep.
   */
  allProjectsPage(folder: FolderContext): Promise<AllProjectsPage> {
    return kept(this.allProjects, folder.key, () => this.readAllProjects(folder), true);
  }

  private async readAllProjects(folder: FolderContext): Promise<AllProjectsPage> {
    const resolution = await folder.resolve();
    if (!resolution.workspace) return { kbRoot: '', hits: [], more: false };
    const shown = this.shownCount(folder, 'all');
    const { query, filters } = splitInlineFilters(this.filterOf(folder));
    const hits = await searchSessions(folder.deps, {
      kind: 'session',
      ...filters,
      query,
      cwd: folder.cwd,
      kbRoot: resolution.workspace.kbRoot,
      limit: shown + 1,
      fieldName: inlineName,
    });
    return { kbRoot: resolution.workspace.kbRoot, hits: hits.slice(0, shown), more: hits.length > shown };
  }

  /** One agent session with its turns, read once per change of the knowledge base. */
  agentSession(folder: FolderContext, sessionId: string): Promise<AgentSession & { path: string }> {
    return kept(this.agentSessions, `${folder.key}\n${sessionId}`, async () => (await folder.agentSessions()).getSession({ sessionId }), true);
  }

  /**
   * Something changed (a file of the knowledge base, a .kbcontext, a setting): read again soon.
   * Changes arriving together (a writer's lock, temp file and rename) are read once. Writes made
   * through the folders' ports come here by themselves; the watchers bring other processes' writes.
   */
  reload(folder?: FolderContext, options: { resolution?: boolean; now?: boolean } = {}): void {
    const targets = folder ? [folder] : this.folders.all();
    for (const target of targets) {
      if (options.resolution) target.invalidate();
      this.pending.add(target.key);
    }
    if (!folder) this.pending.add('*');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), options.now ? 0 : RELOAD_DELAY_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const all = this.pending.has('*');
    for (const key of all ? [...this.states.keys()] : this.pending) this.states.delete(key);
    // Any file of the knowledge base may be another project's: every All Projects list is read again.
    this.allProjects.clear();
    for (const key of [...this.agentSessions.keys()]) {
      if (all || this.pending.has(key.split('\n')[0]!)) this.agentSessions.delete(key);
    }
    this.pending = new Set();
    this.version++;
    this.changed.fire();
  }

  /** Resolves once every folder's state has been read, including changes already announced. */
  async settled(): Promise<void> {
    for (;;) {
      const version = this.version;
      await Promise.all(this.folders.all().map((folder) => this.state(folder)));
      if (!this.timer && version === this.version) return;
      await new Promise((resolve) => setTimeout(resolve, RELOAD_DELAY_MS));
    }
  }

  async viewState(): Promise<ViewState> {
    const folders = this.folders.all();
    if (folders.length === 0) return 'noFolder';
    const states = await Promise.all(folders.map((folder) => this.state(folder)));
    if (states.every((state) => !state.resolution.entry && isMissingContext(state.resolution.error))) return 'noContext';
    if (states.every((state) => state.resolution.entry && !state.history?.totalCount && !state.agents?.totalCount && state.problems.length === 0)) {
      return 'empty';
    }
    return 'ready';
  }

  private cache(folder: FolderContext): EntryCache {
    let cache = this.caches.get(folder.key);
    if (!cache) this.caches.set(folder.key, (cache = new EntryCache()));
    return cache;
  }

  private async read(folder: FolderContext): Promise<FolderState> {
    const resolution = await folder.resolve();
    const state: FolderState = { folder, resolution, followUps: [], problems: [] };
    if (!resolution.entry || !resolution.workspace) return state;
    const options = { cwd: folder.cwd, kbRoot: resolution.workspace.kbRoot };
    const cache = this.cache(folder);
    const attempt = async (work: () => Promise<void>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        state.problems.push(error);
        this.onProblem(error, folder);
      }
    };
    await Promise.all([
      attempt(async () => {
        state.history = await sessionHistory(folder.deps, { ...options, limit: this.shownCount(folder, 'sessions') }, cache);
        state.followUps = await listFollowUps(folder.deps, options, cache);
      }),
      attempt(async () => {
        if (!folder.config().showAgentSessions) return;
        const agents = await folder.agentSessions();
        const page = await agents.queryHistory({ limit: this.shownCount(folder, 'agents') });
        state.agents = { sessions: page.sessions, totalCount: page.totalCount };
      }),
    ]);
    return state;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The value kept under `key`, made on first ask; with `retry`, one that fails is forgotten, so the next ask reads again. */
function kept<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>, retry = false): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = make();
    map.set(key, value);
    if (retry) value.catch(() => map.delete(key));
  }
  return value;
}

/** No .kbcontext and no knowledge base configured: the case the welcome content explains. */
export function isMissingContext(error: unknown): boolean {
  return isSessionLogError(error) && (error.code === 'no_context' || error.code === 'no_kb_root');
}
