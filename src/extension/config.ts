import * as os from 'node:os';
import * as vscode from 'vscode';

/** Every `sessionlog.*` setting, typed; read only through this module. */
export interface SessionLogConfig {
  /** Knowledge-base root as written (may be relative or start with `~`); undefined when not set. */
  kbRoot: string | undefined;
  defaultTags: string[];
  statusBar: StatusBarMode;
  staleTurnMinutes: number;
  pageSize: number;
  filesFromGit: boolean;
  redactSecrets: boolean;
  backup: boolean;
  showAgentSessions: boolean;
  recentTagsLimit: number;
  /** Sync the knowledge base through git after each log from the editor. */
  syncAfterLog: boolean;
}

type StatusBarMode = 'full' | 'icon' | 'hidden';

const SECTION = 'sessionlog';

const DEFAULTS: SessionLogConfig = {
  kbRoot: undefined,
  defaultTags: [],
  statusBar: 'full',
  staleTurnMinutes: 30,
  pageSize: 50,
  filesFromGit: true,
  redactSecrets: true,
  backup: false,
  showAgentSessions: true,
  recentTagsLimit: 20,
  syncAfterLog: false,
};

/** The settings' names (without `sessionlog.`), for whoever must list them all. */
export const SETTING_KEYS = Object.keys(DEFAULTS) as (keyof SessionLogConfig)[];

/** The settings as they apply to `scope` (a workspace folder or a file in one), with invalid values replaced by defaults. */
export function readConfig(scope?: vscode.ConfigurationScope): SessionLogConfig {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const kbRoot = config.get<string>('kbRoot')?.trim();
  const statusBar = config.get<string>('statusBar');
  return {
    kbRoot: kbRoot ? expandHome(kbRoot) : undefined,
    defaultTags: strings(config.get('defaultTags')),
    statusBar: statusBar === 'icon' || statusBar === 'hidden' || statusBar === 'full' ? statusBar : DEFAULTS.statusBar,
    staleTurnMinutes: whole(config.get('staleTurnMinutes'), DEFAULTS.staleTurnMinutes, 1, 7 * 24 * 60),
    pageSize: whole(config.get('pageSize'), DEFAULTS.pageSize, 5, 1000),
    filesFromGit: config.get<boolean>('filesFromGit') ?? DEFAULTS.filesFromGit,
    redactSecrets: config.get<boolean>('redactSecrets') ?? DEFAULTS.redactSecrets,
    backup: config.get<boolean>('backup') ?? DEFAULTS.backup,
    showAgentSessions: config.get<boolean>('showAgentSessions') ?? DEFAULTS.showAgentSessions,
    recentTagsLimit: whole(config.get('recentTagsLimit'), DEFAULTS.recentTagsLimit, 0, 200),
    syncAfterLog: config.get<boolean>('syncAfterLog') ?? DEFAULTS.syncAfterLog,
  };
}

/** Whether a configuration change touches any setting of ours (for `scope` when given). */
export function affectsConfig(event: vscode.ConfigurationChangeEvent, setting?: keyof SessionLogConfig, scope?: vscode.ConfigurationScope): boolean {
  return event.affectsConfiguration(setting ? `${SECTION}.${setting}` : SECTION, scope);
}

/** Writes the knowledge-base root to the user's settings (it names a place on this machine, not in the project). */
export async function setKbRoot(folder: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('kbRoot', folder, vscode.ConfigurationTarget.Global);
}

function expandHome(value: string): string {
  return value === '~' || value.startsWith('~/') ? os.homedir() + value.slice(1) : value;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim()) : [];
}

function whole(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}
