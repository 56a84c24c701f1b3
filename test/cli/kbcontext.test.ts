/**
 * Every way the session entry is found: VL_KB_CONTEXT, the walk up (50 levels), the
 * knowledge-base root, explicit entry / session_entry / primary, and the errors.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { findKbContext, parseKbContext } from '../../src/core/context/kbcontext';
import { SessionLogError } from '../../src/core/errors';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { read, tempDir, write } from '../support/files';
import { cli, oneLine } from '../support/cli';

function logJson(
  cwd: string,
  env: Record<string, string> = {},
  extra: string[] = [],
): { path: string; action: string; project: string; context_source: string | null } {
  const result = cli(['log', '-m', 'resolution test', '--json', ...extra], { cwd, env });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function nested(root: string, depth: number): string {
  const dir = path.join(root, ...Array.from({ length: depth }, (_, i) => `d${i + 1}`));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A knowledge base with a .kbcontext at its root. */
function kb(t: TestContext, kbcontext: string): string {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), kbcontext);
  return root;
}

describe('.kbcontext discovery', () => {
  it('VL_KB_CONTEXT names the file to use, wherever it is', (t) => {
    const root = kb(t, 'project: walked\nprimary: walked\n');
    const other = write(path.join(tempDir(t), 'elsewhere.yaml'), 'project: named\nsession_entry: named/log.md\n');
    const result = logJson(root, { VL_KB_CONTEXT: other, MEMEX_KB_ROOT: root });
    assert.deepEqual(result, { path: 'named/log.md', action: 'created', project: 'named', context_source: '.kbcontext (session_entry)' });
    assert.ok(fs.existsSync(path.join(root, 'named/log.md')));
    assert.ok(!fs.existsSync(path.join(root, 'walked')));
  });

  it('VL_KB_CONTEXT naming a missing file means no context (no walk up), with both ways out in the error', (t) => {
    const root = kb(t, 'project: walked\nprimary: walked\n');
    const result = cli(['log', '-m', 'x'], { cwd: root, env: { VL_KB_CONTEXT: path.join(root, 'missing.kbcontext'), MEMEX_KB_ROOT: root } });
    assert.equal(result.status, 1);
    const line = oneLine(result.stderr);
    assert.match(line, /no \.kbcontext/i);
    assert.match(line, /create a \.kbcontext/);
    assert.match(line, /--entry/);
    assert.ok(!fs.existsSync(path.join(root, 'walked')));
    // With an explicit entry it works, and says so.
    assert.deepEqual(logJson(root, { VL_KB_CONTEXT: path.join(root, 'missing.kbcontext'), MEMEX_KB_ROOT: root }, ['-e', 'x.md']), {
      path: 'x.md',
      action: 'created',
      project: path.basename(root),
      context_source: 'explicit',
    });
  });

  it('walks up from the working directory to the nearest .kbcontext', (t) => {
    const root = kb(t, 'project: outer\nprimary: outer\n');
    write(path.join(root, 'a/.kbcontext'), 'project: inner\nprimary: inner\n');
    const deep = nested(path.join(root, 'a'), 5);
    assert.deepEqual(logJson(deep), { path: 'inner/sessions.md', action: 'created', project: 'inner', context_source: '.kbcontext (primary)' });
    // The knowledge base is the folder of the .kbcontext found.
    assert.ok(fs.existsSync(path.join(root, 'a/inner/sessions.md')));
    assert.deepEqual(logJson(nested(path.join(root, 'b'), 2)), {
      path: 'outer/sessions.md',
      action: 'created',
      project: 'outer',
      context_source: '.kbcontext (primary)',
    });
  });

  it('looks at most 50 levels: the working directory and 49 above it', async (t) => {
    const root = kb(t, 'primary: p\n');
    const fsPort = new NodeFileSystem();
    const env = { get: () => undefined, cwd: () => root };
    assert.equal(await findKbContext(fsPort, env, nested(root, 49)), path.join(root, '.kbcontext'));
    assert.equal(await findKbContext(fsPort, env, nested(root, 50)), undefined);
    // And through the CLI: 49 below finds it; 50 below has no knowledge base at all.
    assert.equal(logJson(nested(root, 49)).context_source, '.kbcontext (primary)');
    const tooDeep = cli(['log', '-m', 'x'], { cwd: nested(root, 50) });
    assert.equal(tooDeep.status, 1);
    assert.match(oneLine(tooDeep.stderr), /No knowledge base found/);
  });

  it('takes MEMEX_KB_ROOT as the knowledge base over the folder of the .kbcontext', (t) => {
    const project = kb(t, 'project: app\nprimary: projects/app/\n');
    const root = tempDir(t);
    assert.equal(logJson(project, { MEMEX_KB_ROOT: root }).path, 'projects/app/sessions.md');
    assert.ok(fs.existsSync(path.join(root, 'projects/app/sessions.md')));
    assert.ok(!fs.existsSync(path.join(project, 'projects')));
    logJson(project);
    assert.ok(fs.existsSync(path.join(project, 'projects/app/sessions.md')));
    // --kb-root wins over both.
    const flagged = tempDir(t);
    assert.equal(logJson(project, { MEMEX_KB_ROOT: root }, ['--kb-root', flagged]).path, 'projects/app/sessions.md');
    assert.ok(fs.existsSync(path.join(flagged, 'projects/app/sessions.md')));
  });

  it('without MEMEX_KB_ROOT or a .kbcontext there is no knowledge base', (t) => {
    const dir = tempDir(t);
    const result = cli(['log', '-m', 'x', '-e', 'x.md'], { cwd: dir });
    assert.equal(result.status, 1);
    const line = oneLine(result.stderr);
    assert.match(line, /MEMEX_KB_ROOT/);
    assert.match(line, /sessionlog init/);
  });
});

describe('entry resolution', () => {
  const both = 'project: app\nprimary: projects/app\nsession_entry: projects/app/log.md\n';

  it('an explicit --entry wins over session_entry and primary', (t) => {
    const root = kb(t, both);
    assert.deepEqual(logJson(root, {}, ['--entry', 'custom/here.md']), {
      path: 'custom/here.md',
      action: 'created',
      project: 'app',
      context_source: 'explicit',
    });
    assert.deepEqual(logJson(root, {}, ['-e', 'custom/here.md']), { path: 'custom/here.md', action: 'appended', project: 'app', context_source: 'explicit' });
  });

  it('session_entry wins over primary (memex lost it; we honour it)', (t) => {
    const root = kb(t, both);
    assert.deepEqual(logJson(root), { path: 'projects/app/log.md', action: 'created', project: 'app', context_source: '.kbcontext (session_entry)' });
  });

  it('primary gives {primary}/sessions.md, a trailing slash removed', (t) => {
    for (const primary of ['projects/app', 'projects/app/', 'projects/app//']) {
      const root = kb(t, `primary: ${primary}\n`);
      const result = logJson(root);
      assert.deepEqual(result, { path: 'projects/app/sessions.md', action: 'created', project: path.basename(root), context_source: '.kbcontext (primary)' });
    }
  });

  it('a .kbcontext with neither is an error naming the file and both ways out', (t) => {
    const root = kb(t, 'project: app\ndefault_tags: [a]\n');
    const result = cli(['log', '-m', 'x'], { cwd: root });
    assert.equal(result.status, 1);
    const line = oneLine(result.stderr);
    assert.ok(line.includes(path.join(root, '.kbcontext')), line);
    assert.match(line, /neither session_entry nor primary/);
    assert.match(line, /session_entry or primary/);
    assert.match(line, /--entry/);
  });

  it('keeps unknown keys and ignores them', (t) => {
    const file = path.join(tempDir(t), '.kbcontext');
    const context = parseKbContext('project: app\nprimary: p\nproject_kb: ./kb\npublish_base_url: https://x\npaths: [a, b/*]\nnested: {a: 1}\n', file);
    assert.deepEqual(context.extra, { project_kb: './kb', publish_base_url: 'https://x', nested: { a: 1 } });
    assert.deepEqual(context.paths, ['a', 'b/*']);
    const root = kb(t, 'primary: p\nproject_kb: ./kb\nsomething_new: [1, 2]\n');
    assert.equal(logJson(root).path, 'p/sessions.md');
    assert.equal(read(path.join(root, '.kbcontext')), 'primary: p\nproject_kb: ./kb\nsomething_new: [1, 2]\n');
  });
});

describe('an invalid .kbcontext is an error, never "no context"', () => {
  const cases: [string, string, number, RegExp][] = [
    ['invalid YAML', 'project: app\nprimary: projects/app: x\nsession_entry: x.md\n', 2, /not valid YAML: Nested mappings/],
    ['a key given twice', 'project: app\nprimary: p\nproject: other\n', 3, /not valid YAML: Map keys must be unique/],
    ['a tab-indented mapping', 'project: app\n\tprimary: p\n', 2, /not valid YAML/],
    ['default_tags of the wrong type', 'project: app\nprimary: p\n\ndefault_tags: 3\n', 4, /field 'default_tags' must be a list of strings \(got number 3\)/],
    ['a list item that is not a string', 'primary: p\ndefault_tags:\n  - ok\n  - {a: 1}\n', 3, /field 'default_tags' must be a list of strings/],
    ['session_entry that is a list', 'project: app\nsession_entry:\n  - a.md\n  - b.md\n', 3, /field 'session_entry' must be a string \(got a list\)/],
    ['primary that is a number', 'primary: 42\n', 1, /field 'primary' must be a string \(got number 42\)/],
    ['a top level that is not a mapping', '- primary: p\n', 1, /must be a mapping/],
  ];
  for (const [what, text, line, reason] of cases) {
    it(`${what}: exit 1, one line naming file, line and field`, (t) => {
      const root = kb(t, text);
      const result = cli(['log', '-m', 'x'], { cwd: root });
      assert.equal(result.status, 1, result.stderr);
      const message = oneLine(result.stderr);
      assert.ok(message.includes(`${path.join(root, '.kbcontext')}:${line}:`), message);
      assert.match(message, reason);
      assert.equal(fs.readdirSync(root).join(','), '.kbcontext', 'nothing written');
      try {
        parseKbContext(text, 'ctx');
        assert.fail('parseKbContext accepted it');
      } catch (error) {
        assert.ok(error instanceof SessionLogError);
        assert.equal(error.code, 'invalid_kbcontext');
        assert.equal(error.details.line, line);
        const field = /field '(\w+)'/.exec(message)?.[1];
        if (field) assert.equal(error.details.field, field);
      }
    });
  }

  it('through VL_KB_CONTEXT too', (t) => {
    const root = tempDir(t);
    const file = write(path.join(tempDir(t), 'ctx.yaml'), 'primary: [\n');
    const result = cli(['history'], { cwd: root, env: { VL_KB_CONTEXT: file, MEMEX_KB_ROOT: root } });
    assert.equal(result.status, 1);
    assert.ok(oneLine(result.stderr).includes(`${file}:`));
  });
});

describe('a .kbcontext that cannot be read as one', () => {
  const bomb = (): string => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    let previous = 'a';
    for (const name of 'bcdefghi') {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
      previous = name;
    }
    return `${lines.join('\n')}\nproject: *i\n`;
  };

  it('a YAML alias bomb fails fast, naming the .kbcontext', (t) => {
    const root = tempDir(t);
    write(path.join(root, '.kbcontext'), bomb());
    const started = Date.now();
    const run = cli(['log', '-m', 'hi'], { cwd: root });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(run.status, 1);
    assert.match(oneLine(run.stderr), /\.kbcontext:1: cannot be read: .*alias/);
  });

  it('a folder named .kbcontext is an error naming it, not "no .kbcontext here"', (t) => {
    const root = tempDir(t);
    fs.mkdirSync(path.join(root, '.kbcontext'));
    const run = cli(['log', '-m', 'hi'], { cwd: root, env: { MEMEX_KB_ROOT: root } });
    assert.equal(run.status, 1);
    assert.match(oneLine(run.stderr), /\.kbcontext:1: is a folder, not a \.kbcontext file/);
  });

  it('a FIFO named .kbcontext is an error, never a hang', (t) => {
    const root = tempDir(t);
    const made = spawnSync('mkfifo', [path.join(root, '.kbcontext')]);
    if (made.status !== 0) return t.skip('mkfifo is not available here');
    const started = Date.now();
    const run = cli(['log', '-m', 'hi'], { cwd: root, env: { MEMEX_KB_ROOT: root } });
    assert.ok(Date.now() - started < 10_000, 'answered at once');
    assert.equal(run.status, 1);
    assert.match(oneLine(run.stderr), /\.kbcontext:1: is not a regular file \(a FIFO, socket or device\)/);
  });

  it('an invalid tag in default_tags names default_tags in that file, not --tags', (t) => {
    const root = tempDir(t);
    write(path.join(root, '.kbcontext'), 'project: app\nsession_entry: sessions.md\ndefault_tags: ["has space"]\n');
    const run = cli(['log', '-m', 'hi', '--tags', 'fine'], { cwd: root });
    assert.equal(run.status, 2);
    assert.match(oneLine(run.stderr), new RegExp(`default_tags in ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.kbcontext: tag 'has space'`));
    assert.doesNotMatch(run.stderr, /--tags:/);
  });
});
