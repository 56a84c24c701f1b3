import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { EntryCache } from '../../core/usecases/readEntries';
import { searchSessions, type SearchHit } from '../../core/usecases/search';
import { openAt } from '../editor';
import type { FolderContext } from '../folders';
import type { Services } from '../services';

export interface SearchArgs {
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
  const seen = new Set<string>();
  const bases: { folder: FolderContext; kbRoot: string }[] = [];
  for (const folder of services.folders.all()) {
    const { workspace } = await folder.resolve();
    if (!workspace || seen.has(`${folder.uri.scheme}:${workspace.kbRoot}`)) continue;
    seen.add(`${folder.uri.scheme}:${workspace.kbRoot}`);
    bases.push({ folder, kbRoot: workspace.kbRoot });
  }
  return bases;
}

/** The core's search over every knowledge base of the window, best first. */
export async function searchAll(services: Services, query: string, caches = new Map<string, EntryCache>()): Promise<HitItem[]> {
  const items: HitItem[] = [];
  for (const { folder, kbRoot } of await knowledgeBases(services)) {
    let cache = caches.get(kbRoot);
    if (!cache) caches.set(kbRoot, (cache = new EntryCache()));
    const hits = await searchSessions(folder.deps, { query, cwd: folder.cwd, kbRoot, limit: LIMIT }, cache);
    for (const hit of hits) {
      const first = hit.session.message.split('\n').find((line) => line.trim())?.trim() ?? hit.heading;
      items.push({
        label: first.length > 90 ? `${first.slice(0, 89)}…` : first,
        description: `${hit.heading} · ${hit.path}`,
        detail: [hit.tags.map((tag) => `#${tag}`).join(' '), hit.snippet !== first ? hit.snippet : ''].filter(Boolean).join('  ') || undefined,
        iconPath: new vscode.ThemeIcon('note'),
        alwaysShow: true,
        hit, folder, kbRoot,
      });
    }
  }
  return items.sort((a, b) => b.hit.score - a.hit.score || (b.hit.timestamp ?? '').localeCompare(a.hit.timestamp ?? '')).slice(0, LIMIT);
}

/** Session: Search — a quick pick whose results follow the typing (the core's searchSessions); Enter opens the entry at that session. */
export async function search(services: Services, args?: SearchArgs): Promise<SearchHit | undefined> {
  const pick = vscode.window.createQuickPick<HitItem>();
  pick.title = 'Search Sessions';
  pick.placeholder = 'Words that must all appear in the session (tags, message, files, decisions…); empty: the newest';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const caches = new Map<string, EntryCache>();
  let version = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (query: string) => {
    const mine = ++version;
    pick.busy = true;
    searchAll(services, query, caches).then((items) => {
      if (mine !== version) return;
      pick.items = items;
      pick.busy = false;
    }, (error: unknown) => {
      if (mine !== version) return;
      pick.busy = false;
      pick.items = [];
      services.log.warn(`search: ${describeError(error)}`);
      pick.placeholder = describeError(error);
    });
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
