import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Registers what to undo when a test (or suite) ends: node:test's context, or mocha's hooks. */
export interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

/** A fresh folder under the system's temp folder, as its real path (no symbolic links); the caller removes it. */
export function makeTempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh folder under the system's temp folder, its real path (no symlinks), removed afterwards. */
export function tempDir(t: Cleanup, prefix = 'sessionlog-test-'): string {
  const dir = makeTempDir(prefix);
  t.after(() => removeDir(dir));
  return dir;
}

/** A knowledge base with a .kbcontext for project `demo`; agent sessions go to projects/demo/agent-sessions. */
export function tempKb(t: Cleanup): { root: string; sessionsDir: string } {
  const root = tempDir(t, 'sessionlog-agent-');
  fs.writeFileSync(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
  return { root, sessionsDir: path.join(root, 'projects/demo/agent-sessions') };
}

/** Writes the file, making its folders. */
export function write(file: string, text: string | Uint8Array): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}
