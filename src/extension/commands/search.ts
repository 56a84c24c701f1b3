import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { inlineName, splitInlineFilters } from '../../core/search/query';
import { searchSessions, type SearchHit } from '../../core/usecases/search';
import { openAt } from '../editor';
import type { FolderContext } from '../folders';
import type { Services } from '../services';
import type { Command } from './command';

interface SearchArgs {
  /** Text to start with. */
  query?: string;
}

interface HitItem extends vscode.QuickPickItem {
  hit: SearchHit;
  folder: FolderContext;
  kbRoot: string;
}

const DEBOUNCE_MS = 120;
const LIMIT = 60;

/** Every distinct knowledge base of the window's folders, once each. */
async function knowledgeBases(services: Services): Promise<{ folder: FolderContext; kbRoot: string }[]> {
  const bases = new Map<string, { folder: FolderContext; kbRoot: string }>();
  for (const folder of services.folders.all()) {
    const { workspace } = await folder.resolve();
    const key = workspace && `${folder.uri.scheme}:${workspace.kbRoot}`;
    if (key && !bases.has(key)) bases.set(key, { folder, kbRoot: workspace.kbRoot });
  }
  return [...bases.values()];
}

/**
 * The core's search over every knowledge base of the window, best first. Filters are written in
 * the query itself, as `tag:auth kind:turn since:7d project:myapp agent:Codex status:failed`.
 */
async function searchAll(services: Services, text: string): Promise<HitItem[]> {
  const { query, filters } = splitInlineFilters(text);
  const items: HitItem[] = [];
  for (const { folder, kbRoot } of await knowledgeBases(services)) {
    const hits = await searchSessions(folder.deps, { ...filters, query, cwd: folder.cwd, kbRoot, limit: LIMIT, fieldName: inlineName });
    for (const hit of hits) {
      items.push({
        label: hit.heading || path.posix.basename(hit.path),
        description: `${hit.kind === 'session' ? '' : `${hit.kind} · `}${hit.path}:${hit.line}`,
        detail: [hit.tags.map((tag) => `#${tag}`).join(' '), hit.snippet].filter(Boolean).join('  ') || undefined,
        iconPath: new vscode.ThemeIcon(ICONS[hit.kind]),
        alwaysShow: true,
        hit,
        folder,
        kbRoot,
      });
    }
  }
  return items.sort((a, b) => b.hit.score - a.hit.score || (b.hit.time ?? '').localeCompare(a.hit.time ?? '')).slice(0, LIMIT);
}

const ICONS = { session: 'note', turn: 'comment-discussion', decision: 'law' } as const;

/** Session: Search — a quick pick whose results follow the typing (the core's searchSessions); Enter opens the entry at that session. */
async function run(services: Services, args?: SearchArgs): Promise<SearchHit | undefined> {
  const pick = vscode.window.createQuickPick<HitItem>();
  pick.title = 'Search Sessions';
  pick.placeholder = 'Words, "a phrase", -exclude; filters: tag:auth kind:turn since:7d project:myapp agent:Codex status:failed';
  // The results are the core's ranking (stems, typos, filters): the quick pick must not filter them again by its own matching.
  let version = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (query: string) => {
    const mine = ++version;
    pick.busy = true;
    searchAll(services, query).then(
      (items) => {
        if (mine !== version) return;
        pick.items = items;
        pick.busy = false;
      },
      (error: unknown) => {
        if (mine !== version) return;
        pick.busy = false;
        pick.items = [];
        services.log.warn(`search: ${describeError(error)}`);
        pick.placeholder = describeError(error);
      },
    );
  };
  const disposables: vscode.Disposable[] = [pick];
  try {
    const chosen = await new Promise<HitItem | undefined>((resolve) => {
      disposables.push(
        pick.onDidChangeValue((value) => {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => run(value), DEBOUNCE_MS);
        }),
        pick.onDidAccept(() => {
          const item = pick.activeItems[0] ?? pick.selectedItems[0];
          if (item) resolve(item);
        }),
        pick.onDidHide(() => resolve(undefined)),
      );
      pick.value = args?.query ?? '';
      run(pick.value);
      pick.show();
    });
    if (!chosen) return undefined;
    await openAt(chosen.folder.uriOf(path.posix.join(chosen.kbRoot, chosen.hit.path)), chosen.hit.line);
    return chosen.hit;
  } finally {
    if (timer) clearTimeout(timer);
    disposables.forEach((disposable) => disposable.dispose());
  }
}

export const search: Command = { id: 'sessionlog.search', run };
