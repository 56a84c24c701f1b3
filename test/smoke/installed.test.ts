import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const ID = 'sessionlog.sessionlog';

describe('the extension installed from the VSIX', () => {
  it('is the installed copy, not the development folder', () => {
    const extension = vscode.extensions.getExtension(ID);
    assert.ok(extension, `${ID} is installed`);
    assert.match(extension.extensionPath, /extensions[/\\]sessionlog\.sessionlog-/);
    assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'src')), 'sources are not shipped');
    assert.ok(!fs.existsSync(path.join(extension.extensionPath, 'node_modules')), 'dependencies are bundled');
    assert.ok(fs.existsSync(path.join(extension.extensionPath, 'dist', 'cli.js')), 'the CLI ships');
  });

  it('ships every bundle the shipped bundles load on demand', () => {
    const dist = path.join(vscode.extensions.getExtension(ID)!.extensionPath, 'dist');
    const bundles = fs.readdirSync(dist).filter((name) => name.endsWith('.js'));
    const required = new Set(
      bundles.flatMap((name) =>
        [...fs.readFileSync(path.join(dist, name), 'utf8').matchAll(/(?:require|import)\("\.\/([\w-]+\.js)"\)/g)].map((match) => match[1]!),
      ),
    );
    assert.ok(required.has('services.js') && required.has('yaml.js') && required.has('git.js'), `found the on-demand bundles: ${[...required].join(', ')}`);
    for (const name of required) assert.ok(bundles.includes(name), `dist/${name} is required by a shipped bundle but not shipped`);
  });

  it('activates and contributes its commands', async () => {
    const extension = vscode.extensions.getExtension(ID)!;
    await extension.activate();
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as { command: string }[];
    for (const { command } of contributed) assert.ok(commands.includes(command), `${command} is registered`);
  });

  it('ships a CLI that logs a session', async () => {
    const extension = vscode.extensions.getExtension(ID)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-smoke-'));
    fs.writeFileSync(path.join(dir, '.kbcontext'), 'project: smoke\nprimary: projects/smoke\n');
    const { execFileSync } = await import('node:child_process');
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    const out = execFileSync(process.execPath, [path.join(extension.extensionPath, 'dist', 'cli.js'), 'log', '-m', 'Smoke', '--json'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), { path: 'projects/smoke/sessions.md', action: 'created', project: 'smoke', context_source: '.kbcontext (primary)' });
    assert.match(fs.readFileSync(path.join(dir, 'projects/smoke/sessions.md'), 'utf8'), /^Smoke$/m);
  });
});
