/**
 * The project's name, in the documented order, from real git repositories:
 * .kbcontext project, git remote, package.json name, git root name, working directory name.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadKbContext } from '../../src/core/context/kbcontext';
import { detectProject, projectTag, repositoryName } from '../../src/core/context/project';
import { tempDir, write } from '../support/files';
import { git, gitInit } from '../support/git';
import { coreDeps } from '../support/core';

async function detect(cwd: string): Promise<{ name: string; source: string }> {
  const deps = coreDeps({ cwd });
  const context = await loadKbContext(deps.fs, deps.env, cwd);
  return detectProject(deps, cwd, context);
}

describe('project detection', () => {
  it('.kbcontext project comes first', async (t) => {
    const repo = gitInit(path.join(tempDir(t), 'checkout'));
    git(repo, ['remote', 'add', 'origin', 'https://github.com/org/from-remote.git']);
    write(path.join(repo, 'package.json'), '{"name": "from-package"}');
    write(path.join(repo, '.kbcontext'), 'project: From Context\nprimary: p\n');
    assert.deepEqual(await detect(repo), { name: 'From Context', source: '.kbcontext' });
  });

  const remotes: [string, string][] = [
    ['https://github.com/org/remote-https.git', 'remote-https'],
    ['https://gitlab.example.com/group/sub/remote-plain', 'remote-plain'],
    ['ssh://git@git.example.com:2222/org/remote-ssh.git', 'remote-ssh'],
    ['ssh://git@git.example.com/org/remote-ssh-noport', 'remote-ssh-noport'],
    ['git@github.com:org/remote-scp.git', 'remote-scp'],
    ['git@github.com:remote-top.git', 'remote-top'],
  ];
  for (const [url, name] of remotes) {
    it(`then the git remote's repository name: ${url}`, async (t) => {
      const repo = gitInit(path.join(tempDir(t), 'checkout'));
      git(repo, ['remote', 'add', 'origin', url]);
      write(path.join(repo, 'package.json'), '{"name": "from-package"}');
      const sub = path.join(repo, 'src/deep');
      write(path.join(sub, 'file.txt'), 'x');
      assert.deepEqual(await detect(sub), { name, source: 'git remote' });
    });
  }

  it('prefers origin to other remotes', async (t) => {
    const repo = gitInit(path.join(tempDir(t), 'checkout'));
    git(repo, ['remote', 'add', 'aaa-upstream', 'https://github.com/org/upstream-name.git']);
    git(repo, ['remote', 'add', 'origin', 'git@github.com:me/origin-name.git']);
    assert.deepEqual(await detect(repo), { name: 'origin-name', source: 'git remote' });
    const other = gitInit(path.join(tempDir(t), 'checkout'));
    git(other, ['remote', 'add', 'upstream', 'https://github.com/org/only-remote.git']);
    assert.deepEqual(await detect(other), { name: 'only-remote', source: 'git remote' });
  });

  it('then the nearest package.json name between the working directory and the git root (scope dropped)', async (t) => {
    const repo = gitInit(path.join(tempDir(t), 'checkout'));
    write(path.join(repo, 'package.json'), '{"name": "root-package"}');
    write(path.join(repo, 'packages/web/package.json'), '{"name": "@acme/web-app", "version": "1.0.0"}');
    const sub = path.join(repo, 'packages/web/src');
    write(path.join(sub, 'index.ts'), '');
    assert.deepEqual(await detect(sub), { name: 'web-app', source: 'package.json' });
    assert.deepEqual(await detect(path.join(repo, 'packages')), { name: 'root-package', source: 'package.json' });
  });

  it('a package.json above the git root does not count; a broken one is skipped', async (t) => {
    const outer = tempDir(t);
    write(path.join(outer, 'package.json'), '{"name": "outside-the-repo"}');
    const repo = gitInit(path.join(outer, 'the-repo'));
    write(path.join(repo, 'sub/package.json'), '{ broken json');
    assert.deepEqual(await detect(path.join(repo, 'sub')), { name: 'the-repo', source: 'git root' });
  });

  it('then the git root folder name, from a subfolder', async (t) => {
    const repo = gitInit(path.join(tempDir(t), 'root-name'));
    const sub = path.join(repo, 'a/b');
    write(path.join(sub, 'x'), '');
    assert.deepEqual(await detect(sub), { name: 'root-name', source: 'git root' });
  });

  it('then the working directory name, outside any repository', async (t) => {
    const dir = path.join(tempDir(t), 'plain-folder');
    write(path.join(dir, 'x'), '');
    assert.deepEqual(await detect(dir), { name: 'plain-folder', source: 'directory' });
  });

  it('repositoryName and projectTag on their own', () => {
    assert.equal(repositoryName('https://github.com/org/repo.git/'), 'repo');
    assert.equal(repositoryName('/srv/git/local-repo.git'), 'local-repo');
    assert.equal(repositoryName('C:\\repos\\win-repo'), 'win-repo');
    assert.equal(projectTag('My App (v2)'), 'my-app-v2');
    assert.equal(projectTag('Unknown'), undefined);
    assert.equal(projectTag('日本語'), '日本語');
  });
});
