import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, write } from '../support/files';
import { REPO_ROOT } from '../support/paths';

// The build script, required without building (it builds only when run).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { removeStaleOutputs } = require(path.join(REPO_ROOT, 'esbuild.js')) as { removeStaleOutputs: (dir: string, written: string[]) => void };

describe('the build', () => {
  it('removes from dist/ what it no longer writes, and keeps what it wrote and the module-type file', (t) => {
    const dist = tempDir(t);
    for (const name of ['cli.js', 'cli.js.map', 'extension.js', 'mcp.js', 'mcp.js.map', 'package.json']) write(path.join(dist, name), name);
    write(path.join(dist, 'old', 'chunk.js'), 'old');
    removeStaleOutputs(dist, ['dist/cli.js', 'dist/cli.js.map', 'dist/extension.js']);
    assert.deepEqual(fs.readdirSync(dist).sort(), ['cli.js', 'cli.js.map', 'extension.js', 'package.json']);
    assert.equal(fs.readFileSync(path.join(dist, 'cli.js'), 'utf8'), 'cli.js');
  });
});
