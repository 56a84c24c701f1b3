/**
 * The `sessionlog` command starts the CLI's bundle from V8's code cache (src/cli/launch.ts): made by
 * the first run, taken by the next ones, and never in the way when it is damaged or cannot be written.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../support/cli';
import { tempDir } from '../support/files';
import { REPO_ROOT } from '../support/paths';

const hasOwnCompileCache = 'enableCompileCache' in Module;
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function cacheFiles(cacheHome: string): string[] {
  const folder = path.join(cacheHome, 'sessionlog', 'code-cache');
  return fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => path.join(folder, name)) : [];
}

describe('the code cache of the CLI', { skip: hasOwnCompileCache && 'this Node keeps its own compile cache' }, () => {
  it('is made by the first run and taken, unchanged, by the next', (t) => {
    const cacheHome = tempDir(t);
    const env = { XDG_CACHE_HOME: cacheHome };
    assert.equal(cli(['--version'], { cwd: cacheHome, env }).status, 0);
    const [file, ...others] = cacheFiles(cacheHome);
    assert.ok(file, 'the first run leaves a cache');
    assert.deepEqual(others, []);
    const made = fs.statSync(file).mtimeMs;
    const result = cli(['--help'], { cwd: cacheHome, env });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Usage: sessionlog/);
    assert.equal(fs.statSync(file).mtimeMs, made, 'a cache V8 accepted is not written again');
  });

  it('is made again when damaged, and a run with a damaged or unwritable cache still answers', (t) => {
    const cacheHome = tempDir(t);
    const env = { XDG_CACHE_HOME: cacheHome };
    cli(['--version'], { cwd: cacheHome, env });
    const [file] = cacheFiles(cacheHome);
    fs.writeFileSync(file!, 'not a code cache');
    const damaged = cli(['--version'], { cwd: cacheHome, env });
    assert.deepEqual([damaged.status, damaged.stdout.trim(), damaged.stderr], [0, VERSION, '']);
    assert.ok(fs.statSync(file!).size > 1_000, 'the damaged cache is replaced by a real one');
    // A cache folder that is a file: nothing can be written, and the command runs as ever.
    const blocked = tempDir(t);
    fs.writeFileSync(path.join(blocked, 'sessionlog'), '');
    const unwritable = cli(['--version'], { cwd: blocked, env: { XDG_CACHE_HOME: blocked } });
    assert.deepEqual([unwritable.status, unwritable.stdout.trim(), unwritable.stderr], [0, VERSION, '']);
  });

  it('serves a bundle that loads its lazy parts with require (import() cannot run from a code cache on Node 20)', () => {
    const bundle = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'main.js'), 'utf8');
    assert.doesNotMatch(bundle, /\bimport\(/);
  });
});
