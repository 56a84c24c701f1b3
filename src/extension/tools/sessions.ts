import { AgentSessions } from '../../core/agent/sessions';
import type { FolderContext, FolderRegistry } from '../folders';

/**
 * One AgentSessions per workspace folder and knowledge base, kept for the window's life, so the
 * session a tool opened stays the current one across tool calls (later calls may leave out
 * sessionId, as over MCP).
 */
export class AgentSessionsCache {
  private readonly byFolder = new Map<string, AgentSessions>();
  private lastFolder: string | undefined;

  constructor(private readonly folders: FolderRegistry) {}

  async of(folder: FolderContext): Promise<AgentSessions> {
    const options = await folder.options();
    const key = `${folder.key}\n${options.kbRoot}`;
    let sessions = this.byFolder.get(key);
    if (!sessions) {
      sessions = new AgentSessions(folder.deps, { ...options, staleAfterMinutes: folder.config().staleTurnMinutes });
      this.byFolder.set(key, sessions);
    }
    return sessions;
  }

  /** Remembers the folder a tool worked in, so the next call without a folder goes on there. */
  used(folder: FolderContext): void {
    this.lastFolder = folder.key;
  }

  /**
   * The folder a tool acts on, without asking (agent mode must keep flowing): the one a session
   * was last worked in, else the active editor's, else the first whose knowledge base resolves,
   * else the first.
   */
  async pick(): Promise<FolderContext> {
    const all = this.folders.required();
    const chosen = all.find((folder) => folder.key === this.lastFolder) ?? this.folders.active();
    if (chosen) return chosen;
    for (const folder of all) if ((await folder.resolve()).entry) return folder;
    return all[0]!;
  }
}
