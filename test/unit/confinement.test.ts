/**
 * Nothing is written outside the knowledge base through an agent session's paths or an entry's:
 * a folder or file that is a symbolic link leading out is refused with path_outside_kb (also when
 * swapped in between two operations), and a file with other names (hard links) is replaced, not
 * changed in place, so no name outside sees the write. Agent-session writes that fail part way
 * are undone, and keys the protocol does not know survive every operation.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { AgentSessions } from '../../src/core/agent/sessions';
import { isSessionLogError } from '../../src/core/errors';
import type { FileHandle } from '../../src/core/ports';
import { logSession } from '../../src/core/usecases/logSession';
import { read, tempDir, write } from '../support/files';
import { coreDeps, type TestDeps } from '../support/core';

const SESSION = 'Codex-20260409T120000Z-confined';

function setup(t: TestContext): { root: string; outside: string; dir: string; file: string; deps: TestDeps; sessions: () => AgentSessions } {
  const root = tempDir(t);
  const outside = tempDir(t, 'sessionlog-outside-');
  write(path.join(root, '.kbcontext'), 'project: demo\nprimary: projects/demo\n');
  const deps = coreDeps({ cwd: root, now: '2026-04-09T12:00:00Z' });
  const dir = path.join(root, 'projects/demo/agent-sessions');
  return { root, outside, dir, file: path.join(dir, `${SESSION}.md`), deps, sessions: () => new AgentSessions(deps, { cwd: root }) };
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (isSessionLogError(error)) return error.code;
    throw error;
  }
}

/** Every file under `dir`, with its text: what an attack may not change. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    if (fs.lstatSync(full).isFile()) files[name] = read(full);
  }
  return files;
}

describe('agent session paths that lead outside the knowledge base', () => {
  it('an agent-sessions folder that is a link outside is refused, and nothing is written there', async (t) => {
    const { outside, dir, sessions } = setup(t);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.symlinkSync(outside, dir);
    assert.equal(await code(sessions().openSession({ agent: 'Codex', sessionId: SESSION, title: 'Escape' })), 'path_outside_kb');
    assert.equal(await code(sessions().bootstrap()), 'path_outside_kb');
    assert.equal(await code(sessions().queryHistory({})), 'path_outside_kb');
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('a session file that is a link outside (even to a file not made yet) is refused, read or written', async (t) => {
    const { outside, dir, file, sessions } = setup(t);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(outside, 'new.md'), file);
    assert.equal(await code(sessions().openSession({ agent: 'Codex', sessionId: SESSION, title: 'Escape' })), 'path_outside_kb');
    assert.deepEqual(fs.readdirSync(outside), []);
    fs.rmSync(file);
    const secret = write(path.join(outside, 'secret.md'), '---\ntype: agent-session\nsessionId: x\n---\nsecret\n');
    fs.symlinkSync(secret, file);
    assert.equal(await code(sessions().getSession({ sessionId: SESSION })), 'path_outside_kb');
    assert.equal(await code(sessions().beginTurn({ sessionId: SESSION, queryTitle: 'Through the link' })), 'path_outside_kb');
    assert.equal(read(secret), '---\ntype: agent-session\nsessionId: x\n---\nsecret\n');
  });

  it('a link swapped in between two operations is refused, and the file outside is untouched', async (t) => {
    const { outside, dir, file, sessions } = setup(t);
    const agent = sessions();
    await agent.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Swap' });
    await agent.beginTurn({ queryTitle: 'First' });
    // The file is swapped for a link to a copy outside.
    const copy = path.join(outside, 'copy.md');
    fs.copyFileSync(file, copy);
    fs.rmSync(file);
    fs.symlinkSync(copy, file);
    const before = snapshot(outside);
    assert.equal(await code(agent.updateTurn({ response: 'through the link' })), 'path_outside_kb');
    assert.equal(await code(agent.completeTurn({})), 'path_outside_kb');
    // Then the whole folder.
    fs.rmSync(file);
    fs.renameSync(dir, `${dir}.moved`);
    fs.symlinkSync(outside, dir);
    assert.equal(await code(agent.completeTurn({})), 'path_outside_kb');
    assert.deepEqual(snapshot(outside), before);
  });

  it('a session file with a second name (a hard link) is replaced, never written in place', async (t) => {
    const { outside, file, sessions } = setup(t);
    const agent = sessions();
    await agent.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Hard link' });
    const other = path.join(outside, 'other-name.md');
    fs.linkSync(file, other);
    const before = read(other);
    await agent.beginTurn({ queryTitle: 'After the link' });
    await agent.completeTurn({ response: 'done' });
    assert.equal(read(other), before, 'the other name is untouched');
    assert.equal(fs.statSync(file).nlink, 1);
    const session = await sessions().getSession({ sessionId: SESSION });
    assert.equal(session.turns[0]!.response, 'done');
  });
});

describe('entry paths swapped for links outside between two operations', () => {
  it('an entry replaced by a link outside after it was resolved is refused under the lock', async (t) => {
    const root = tempDir(t);
    const outside = tempDir(t, 'sessionlog-outside-');
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
    const deps = coreDeps({ cwd: root });
    await logSession(deps, { message: 'First', cwd: root });
    const entry = path.join(root, 'sessions.md');
    const target = path.join(outside, 'target.md');
    fs.copyFileSync(entry, target);
    // Swapped in right after the entry was resolved (as the lock is taken).
    const createExclusiveOpen = deps.fs.createExclusiveOpen.bind(deps.fs);
    deps.fs.createExclusiveOpen = async (file, text) => {
      if (file === `${entry}.lock` && !fs.lstatSync(entry).isSymbolicLink()) {
        fs.rmSync(entry);
        fs.symlinkSync(target, entry);
      }
      return createExclusiveOpen(file, text);
    };
    const before = read(target);
    assert.equal(await code(logSession(deps, { message: 'Second', cwd: root })), 'path_outside_kb');
    assert.equal(read(target), before);
  });

  it('an entry with a hard link outside is replaced, and the other name keeps its text', async (t) => {
    const root = tempDir(t);
    const outside = tempDir(t, 'sessionlog-outside-');
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\n');
    const deps = coreDeps({ cwd: root });
    await logSession(deps, { message: 'First', cwd: root });
    await logSession(deps, { message: 'Second', cwd: root });
    const entry = path.join(root, 'sessions.md');
    const other = path.join(outside, 'other.md');
    fs.linkSync(entry, other);
    const before = read(other);
    await logSession(deps, { message: 'Third', cwd: root });
    assert.equal(read(other), before);
    assert.match(read(entry), /Third/);
  });
});

describe('agent-session writes that fail part way', () => {
  it('are undone before the error is reported: no torn turn is read back, and the next write works', async (t) => {
    const { file, deps, sessions } = setup(t);
    const agent = sessions();
    await agent.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Full disk' });
    await agent.beginTurn({ queryTitle: 'First' });
    const before = read(file);
    const open = deps.fs.open.bind(deps.fs);
    deps.fs.open = async (name) => {
      const handle = await open(name);
      if (!handle || name !== file) return handle;
      const failing: FileHandle = {
        stat: () => handle.stat(),
        read: (start, length) => handle.read(start, length),
        truncate: (size) => handle.truncate(size),
        sync: () => handle.sync(),
        close: () => handle.close(),
        write: async (offset, text) => {
          if (!text.includes('half of this')) return handle.write(offset, text);
          await handle.write(offset, text.slice(0, text.length >> 1));
          throw Object.assign(new Error(`ENOSPC: no space left on device, write '${name}'`), { code: 'ENOSPC' });
        },
      };
      return failing;
    };
    await assert.rejects(agent.appendDialog({ dialogItems: [{ role: 'model', category: 'reasoning', content: 'half of this is lost' }] }));
    assert.equal(read(file), before, 'the file is as it was');
    assert.ok(!fs.existsSync(`${file}.lock`));
    deps.fs.open = open;
    await agent.appendDialog({ dialogItems: [{ role: 'model', category: 'reasoning', content: 'whole' }] });
    const session = await sessions().getSession({ sessionId: SESSION });
    assert.deepEqual(
      session.turns[0]!.dialog.map((item) => item.content),
      ['whole'],
    );
  });
});

describe('frontmatter keys an agent session file has that Session Log does not know', () => {
  it('survive every operation, in place and when the summary outgrows its padding', async (t) => {
    const { file, sessions } = setup(t);
    const agent = sessions();
    await agent.openSession({ agent: 'Codex', sessionId: SESSION, title: 'Unknown keys' });
    const text = read(file);
    fs.writeFileSync(file, text.replace('type: agent-session\n', 'type: agent-session\nsource_project: mx\nreviewed_by:\n  - alice\n'));
    const keys = (): string => read(file).slice(0, read(file).indexOf('\n---\n'));
    await agent.beginTurn({ queryTitle: 'First' });
    assert.match(keys(), /\nsource_project: mx\n/);
    await agent.appendActions({
      actions: Array.from({ length: 60 }, (_, i) => ({ description: `Edited ${i}`, type: 'edit', filePath: `src/a/rather/long/path/number-${i}.ts` })),
    });
    await agent.completeTurn({ response: 'done' });
    await agent.closeSession({});
    assert.match(keys(), /\nsource_project: mx\n/);
    assert.match(keys(), /\nreviewed_by:\n {2}- alice\n/);
    const session = await sessions().getSession({ sessionId: SESSION });
    assert.equal(session.status, 'completed');
    assert.equal(session.turns[0]!.actions.length, 60);
  });
});
