/**
 * Nothing is written or read outside the knowledge base: `..`, absolute paths, symbolic links
 * leading out, and links that climb out are refused with an error naming the flag or field.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempDir, write } from '../support/files';
import { cli, oneLine } from '../support/cli';

/** A knowledge base (with a .kbcontext) inside a parent folder that must stay untouched. */
function setup(t: TestContext, kbcontext = 'project: app\nprimary: projects/app\n'): { parent: string; root: string; outside: string } {
  const parent = tempDir(t);
  const root = path.join(parent, 'kb');
  const outside = path.join(parent, 'outside');
  fs.mkdirSync(outside, { recursive: true });
  write(path.join(root, '.kbcontext'), kbcontext);
  return { parent, root, outside };
}

function listAll(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

/** A path given on the command line is a usage error (exit 2); one read from a .kbcontext, a failure (exit 1). */
function refused(result: { status: number | null; stderr: string }, ...patterns: RegExp[]): string {
  return refusedWith(2, result, ...patterns);
}

function refusedWith(status: number, result: { status: number | null; stderr: string }, ...patterns: RegExp[]): string {
  assert.equal(result.status, status, result.stderr);
  const line = oneLine(result.stderr);
  for (const pattern of patterns) assert.match(line, pattern);
  return line;
}

describe('paths outside the knowledge base', () => {
  for (const entry of ['../../x.md', '../outside/x.md', 'projects/../../x.md', 'a/b/../../../x.md', '..']) {
    it(`--entry ${entry} is refused`, (t) => {
      const { parent, root } = setup(t);
      const before = listAll(parent);
      refused(cli(['log', '-m', 'x', '--entry', entry], { cwd: root }), /--entry/, /climbs out with \.\./, /outside the knowledge base/);
      assert.deepEqual(listAll(parent), before, 'nothing written anywhere');
    });
  }

  it('--entry inside with .. that stays inside is fine', (t) => {
    const { root } = setup(t);
    const result = cli(['log', '-m', 'x', '--entry', 'a/../b/x.md', '--json'], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).path, 'b/x.md');
  });

  it('an absolute --entry is refused, even one inside the knowledge base', (t) => {
    const { parent, root, outside } = setup(t);
    const before = listAll(parent);
    refused(cli(['log', '-m', 'x', '--entry', path.join(outside, 'x.md')], { cwd: root }), /--entry/, /is an absolute path/);
    refused(cli(['log', '-m', 'x', '-e', path.join(root, 'inside.md')], { cwd: root }), /is an absolute path/);
    refused(cli(['log', '-m', 'x', '-e', 'C:\\Users\\x.md'], { cwd: root }), /is an absolute path/);
    assert.deepEqual(listAll(parent), before);
  });

  it('a symbolic link inside the knowledge base that leads outside is refused', (t) => {
    const { parent, root, outside } = setup(t);
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    write(path.join(outside, 'target.md'), 'outside content\n');
    fs.symlinkSync(path.join(outside, 'target.md'), path.join(root, 'linked.md'));
    const before = listAll(outside);
    refused(cli(['log', '-m', 'x', '-e', 'linked-dir/sessions.md'], { cwd: root }), /--entry/, /symbolic link/, /outside the knowledge base/);
    refused(cli(['log', '-m', 'x', '-e', 'linked.md'], { cwd: root }), /symbolic link/);
    refused(cli(['get', 'linked.md'], { cwd: root }), /PATH/, /symbolic link/);
    assert.deepEqual(listAll(outside), before);
    assert.equal(fs.readFileSync(path.join(outside, 'target.md'), 'utf8'), 'outside content\n');
    assert.ok(listAll(parent).length > 0);
  });

  it('a symbolic link that stays inside is followed', (t) => {
    const { root } = setup(t);
    fs.mkdirSync(path.join(root, 'real'));
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'alias'));
    const result = cli(['log', '-m', 'via alias', '-e', 'alias/s.md'], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(root, 'real/s.md')));
  });

  it('a knowledge base reached through a symbolic link works, and a link out of it is still refused', (t) => {
    const { parent, root, outside } = setup(t);
    const alias = path.join(parent, 'kb-alias');
    fs.symlinkSync(root, alias);
    // The process's working folder comes back resolved; MEMEX_KB_ROOT keeps the alias as written.
    const logged = cli(['log', '-m', 'via the root alias'], { cwd: alias, env: { MEMEX_KB_ROOT: alias } });
    assert.equal(logged.status, 0, logged.stderr);
    assert.match(fs.readFileSync(path.join(root, 'projects/app/sessions.md'), 'utf8'), /via the root alias/);
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    refused(cli(['log', '-m', 'x', '-e', 'linked-dir/sessions.md'], { cwd: alias, env: { MEMEX_KB_ROOT: alias } }), /--entry/, /symbolic link/);
    assert.deepEqual(listAll(outside), []);
  });

  it('session_entry and primary in .kbcontext that climb out are refused, naming the field and file', (t) => {
    const a = setup(t, 'session_entry: ../outside/s.md\n');
    refusedWith(1, cli(['log', '-m', 'x'], { cwd: a.root }), /session_entry in .*\.kbcontext/, /climbs out/);
    assert.deepEqual(listAll(a.outside), []);
    const b = setup(t, 'primary: ../outside\n');
    refusedWith(1, cli(['log', '-m', 'x'], { cwd: b.root }), /primary in .*\.kbcontext/, /climbs out/);
    assert.deepEqual(listAll(b.outside), []);
    const c = setup(t, `primary: ${b.outside}\n`);
    refusedWith(1, cli(['log', '-m', 'x'], { cwd: c.root }), /primary in .*\.kbcontext/, /absolute/);
  });

  for (const link of ['../secret.md', 'notes/../../secret.md', '/etc/passwd', '../x.md|Title', '..#heading']) {
    it(`--links ${link} is refused`, (t) => {
      const { parent, root } = setup(t);
      const before = listAll(parent);
      refused(cli(['log', '-m', 'x', '--links', `ok.md,${link}`], { cwd: root }), /--links/, /points outside the knowledge base/);
      assert.deepEqual(listAll(parent), before);
    });
  }

  it('get and history refuse paths outside too', (t) => {
    const { root, outside } = setup(t);
    write(path.join(outside, 'x.md'), '# secret\n');
    refused(cli(['get', '../outside/x.md'], { cwd: root }), /PATH/, /climbs out/);
    refused(cli(['get', path.join(outside, 'x.md')], { cwd: root }), /absolute/);
    refused(cli(['history', '-e', '../outside/x.md'], { cwd: root }), /--entry/, /climbs out/);
  });
});
