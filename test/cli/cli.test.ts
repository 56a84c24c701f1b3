/**
 * The bundled CLI (node dist/cli.js) as users and agents run it: every flag of log, the alias,
 * get, search, history, init, help, exit codes, and errors as one line on stderr.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parseEntry } from '../../src/core/format/parse';
import { read, tempDir, write } from '../support/files';
import { commitAll, git, gitInit } from '../support/git';
import { cli, oneLine } from '../support/cli';

/** A project folder (with a .kbcontext) whose knowledge base is its own folder. */
function project(t: TestContext, kbcontext = 'project: app\nsession_entry: projects/app/sessions.md\n'): { root: string; entry: string } {
  const root = tempDir(t);
  write(path.join(root, '.kbcontext'), kbcontext);
  return { root, entry: path.join(root, 'projects/app/sessions.md') };
}

function ok(args: string[], cwd: string, options: { env?: Record<string, string>; input?: string } = {}): string {
  const result = cli(args, { cwd, ...options });
  assert.equal(result.status, 0, `sessionlog ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function usage(args: string[], cwd: string, pattern: RegExp, input?: string): void {
  const result = cli(args, { cwd, ...(input !== undefined ? { input } : {}) });
  assert.equal(result.status, 2, `sessionlog ${args.join(' ')} should be a usage error: ${result.stdout}${result.stderr}`);
  assert.match(oneLine(result.stderr), pattern);
  assert.equal(result.stdout, '');
}

function sessions(entry: string): ReturnType<typeof parseEntry>['sessions'] {
  return parseEntry(read(entry), entry).sessions;
}

describe('sessionlog log', () => {
  it('-m, --message, -f, --file and --stdin each give the message', (t) => {
    const { root, entry } = project(t);
    ok(['log', '-m', 'short flag'], root);
    ok(['log', '--message', 'long flag'], root);
    ok(['log', '--message=with equals'], root);
    write(path.join(root, 'msg.txt'), '\n\nFrom a file\nsecond line\n\n');
    ok(['log', '-f', 'msg.txt'], root);
    ok(['log', '--file', path.join(root, 'msg.txt')], root);
    ok(['log', '--stdin'], root, { input: 'From stdin\r\n## looks like a heading\r\n' });
    assert.deepEqual(
      sessions(entry).map((s) => s.message),
      ['short flag', 'long flag', 'with equals', 'From a file\nsecond line', 'From a file\nsecond line', 'From stdin\n## looks like a heading'],
    );
  });

  it('exactly one of -m, -f, --stdin: none or two is a usage error (exit 2)', (t) => {
    const { root, entry } = project(t);
    write(path.join(root, 'msg.txt'), 'x');
    for (const args of [
      [],
      ['-m', 'a', '-f', 'msg.txt'],
      ['-m', 'a', '--stdin'],
      ['-f', 'msg.txt', '--stdin'],
      ['-m', 'a', '-f', 'msg.txt', '--stdin'],
      ['--tags', 'a'],
    ]) {
      usage(['log', ...args], root, /exactly one of -m\/--message, -f\/--file or --stdin/);
    }
    usage(['log', '-f', 'missing.txt'], root, /--file missing\.txt: cannot read it \(ENOENT\)/);
    usage(['log', '-m', '  \n\t '], root, /message is empty/);
    usage(['log', '--stdin'], root, /message is empty/, '');
    assert.ok(!fs.existsSync(entry));
  });

  it('--json prints exactly {path, action, project, context_source}', (t) => {
    const { root } = project(t);
    const first = JSON.parse(ok(['log', '-m', 'a', '--json'], root));
    assert.deepEqual(first, { path: 'projects/app/sessions.md', action: 'created', project: 'app', context_source: '.kbcontext (session_entry)' });
    assert.deepEqual(Object.keys(first), ['path', 'action', 'project', 'context_source']);
    assert.deepEqual(JSON.parse(ok(['log', '-m', 'b', '--json', '-e', 'projects/app/sessions.md'], root)), {
      path: 'projects/app/sessions.md',
      action: 'appended',
      project: 'app',
      context_source: 'explicit',
    });
  });

  it('-e and --entry choose the entry', (t) => {
    const { root } = project(t);
    ok(['log', '-m', 'a', '-e', 'one.md'], root);
    ok(['log', '-m', 'b', '--entry', 'two/two.md'], root);
    ok(['log', '-m', 'c', '--entry=two/two.md'], root);
    assert.deepEqual(
      sessions(path.join(root, 'one.md')).map((s) => s.message),
      ['a'],
    );
    assert.deepEqual(
      sessions(path.join(root, 'two/two.md')).map((s) => s.message),
      ['b', 'c'],
    );
  });

  it('--tags, --links, --files, --decision, --follow-up and --next fill the section', (t) => {
    const { root, entry } = project(t);
    write(path.join(root, 'patterns/oauth2.md'), '# OAuth2\n');
    const result = cli(
      [
        'log',
        '-m',
        'Implemented auth',
        '--tags',
        'auth,progress',
        '--tags=extra',
        '--links',
        'patterns/oauth2.md,missing.md',
        '--files',
        'src/a.ts,src/b.ts',
        '--files',
        'src/c.ts',
        '--decision',
        'Used jose for JWT :: type-safe, no native deps',
        '--decision',
        'Short expiry',
        '--decision',
        'Odd :: rationale with :: inside',
        '--follow-up',
        'Add refresh rotation',
        '--follow-up',
        'Logout endpoint',
        '--next',
        'Focus on refresh tokens',
      ],
      { cwd: root },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /warning: link \[\[missing\.md\]\] does not match any file/);
    assert.doesNotMatch(result.stderr, /oauth2/);
    const [session] = sessions(entry);
    assert.deepEqual(session!.tags, ['auth', 'progress', 'extra']);
    assert.deepEqual(session!.links, ['patterns/oauth2.md', 'missing.md']);
    assert.deepEqual(session!.files, ['src/a.ts', 'src/b.ts', 'src/c.ts']);
    assert.deepEqual(session!.decisions, [
      { decision: 'Used jose for JWT', rationale: 'type-safe, no native deps' },
      { decision: 'Short expiry' },
      { decision: 'Odd', rationale: 'rationale with :: inside' },
    ]);
    assert.deepEqual(session!.followUps, [
      { text: 'Add refresh rotation', done: false },
      { text: 'Logout endpoint', done: false },
    ]);
    assert.equal(session!.next, 'Focus on refresh tokens');
    assert.equal(
      result.stdout,
      `Session logged to new entry: projects/app/sessions.md

Recorded:
- Summary: Implemented auth
- Files: 3 modified
- Decisions: 3 recorded
- Follow-ups: 2 tasks

Next session hint: Focus on refresh tokens
`,
    );
    usage(['log', '-m', 'x', '--decision', ' :: only a rationale'], root, /Decision 1 is empty/);
  });

  it('prints one line without structure; session-log is the same command', (t) => {
    const { root, entry } = project(t);
    assert.equal(ok(['log', '-m', 'first'], root), 'Session logged to new entry: projects/app/sessions.md\n');
    assert.equal(ok(['session-log', '-m', 'second'], root), 'Session logged to: projects/app/sessions.md\n');
    assert.deepEqual(JSON.parse(ok(['session-log', '-m', 'third', '--json', '--tags', 'x'], root)), {
      path: 'projects/app/sessions.md',
      action: 'appended',
      project: 'app',
      context_source: '.kbcontext (session_entry)',
    });
    assert.deepEqual(
      sessions(entry).map((s) => [s.message, s.tags]),
      [
        ['first', []],
        ['second', []],
        ['third', ['x']],
      ],
    );
  });

  it('--files-from-git adds working-tree changes and files committed since the last logged session', (t) => {
    const repo = gitInit(path.join(tempDir(t), 'repo'));
    const kb = tempDir(t);
    const env = { MEMEX_KB_ROOT: kb };
    write(path.join(repo, 'old.txt'), 'old');
    write(path.join(repo, 'src/tracked.ts'), 'v1');
    commitAll(repo, 'old work', '2020-01-01T00:00:00Z');
    ok(['log', '-m', 'first session', '-e', 's.md'], repo, { env });
    write(path.join(repo, 'src/new-commit.ts'), 'x');
    commitAll(repo, 'after the first session');
    write(path.join(repo, 'src/tracked.ts'), 'v2');
    write(path.join(repo, 'untracked.md'), 'new');
    git(repo, ['add', 'untracked.md']);
    const out = ok(['log', '-m', 'second session', '-e', 's.md', '--files-from-git', '--files', 'manual.txt'], path.join(repo, 'src'), { env });
    assert.match(out, /- Files: 4 modified/);
    const second = sessions(path.join(kb, 's.md'))[1]!;
    assert.deepEqual(second.files, ['manual.txt', 'src/new-commit.ts', 'src/tracked.ts', 'untracked.md']);
    assert.ok(!second.files.includes('old.txt'), "a commit before the last session is not this session's");
  });

  it('--files-from-git outside a repository adds nothing, does not fail, and says so', (t) => {
    const { root, entry } = project(t);
    const result = cli(['log', '-m', 'no repo', '--files-from-git'], { cwd: root });
    assert.equal(result.status, 0, result.stderr);
    assert.match(oneLine(result.stderr), /warning: files modified from git: .* is not in a git repository, so none were recorded\./);
    assert.deepEqual(sessions(entry)[0]!.files, []);
    const without = cli(['log', '-m', 'no flag'], { cwd: root });
    assert.equal(without.stderr, '', 'without the flag nothing is said');
  });

  it("--files-from-git leaves out the knowledge base's own files when it lives inside the repository", (t) => {
    const repo = gitInit(path.join(tempDir(t), 'repo'));
    write(path.join(repo, '.kbcontext'), 'project: app\nprimary: projects/app\n');
    write(path.join(repo, 'notes/kb.md'), 'not the knowledge base');
    write(path.join(repo, 'kb/README.md'), 'the knowledge base');
    commitAll(repo, 'start', '2020-01-01T00:00:00Z');
    const env = { MEMEX_KB_ROOT: path.join(repo, 'kb') };
    ok(['log', '-m', 'first', '--files-from-git'], repo, { env });
    write(path.join(repo, 'src/app.ts'), 'work');
    write(path.join(repo, 'notes/kb.md'), 'changed');
    const entry = path.join(repo, 'kb/projects/app/sessions.md');
    ok(['log', '-m', 'second', '--files-from-git'], repo, { env });
    assert.deepEqual(sessions(entry)[1]!.files, ['notes/kb.md', 'src/app.ts'], 'kb/projects/app/sessions.md is the log, not the work');
  });

  it("--files-from-git leaves out the log's files when the knowledge base is the repository (the .kbcontext folder)", (t) => {
    const repo = gitInit(path.join(tempDir(t), 'repo'));
    write(path.join(repo, 'README.md'), 'app');
    commitAll(repo, 'start', '2020-01-01T00:00:00Z');
    ok(['init', '--project', 'app', '--primary', 'projects/app'], repo);
    ok(['log', '-m', 'first'], repo);
    write(path.join(repo, 'projects/app/decisions/ADR-001-x.md'), '# ADR-001: x\n');
    write(path.join(repo, 'reports/2026-W48.md'), '# report\n');
    write(path.join(repo, 'src/app.ts'), 'work');
    write(path.join(repo, 'projects/other/notes.md'), "another project's notes are not this log's");
    ok(['log', '-m', 'second', '--files-from-git'], repo);
    assert.deepEqual(sessions(path.join(repo, 'projects/app/sessions.md'))[1]!.files, ['projects/other/notes.md', 'src/app.ts']);
  });

  it('--backup, --no-timestamp and --kb-root are accepted here too', (t) => {
    const { root, entry } = project(t);
    ok(['log', '-m', 'one'], root);
    ok(['log', '-m', 'two', '--no-timestamp', '--backup'], root);
    assert.ok(fs.existsSync(`${entry}.bak`));
    assert.deepEqual(
      sessions(entry).map((s) => s.message),
      ['one\n\ntwo'],
    );
    const other = tempDir(t);
    ok(['log', '-m', 'elsewhere', '--kb-root', other], root);
    assert.ok(fs.existsSync(path.join(other, 'projects/app/sessions.md')));
  });
});

describe('sessionlog log without the YAML library', () => {
  const forbid = { NODE_OPTIONS: `--require "${path.resolve(__dirname, '../../../test/fixtures/forbid-yaml-library.js')}"` };
  const entryText = (tags: string) =>
    `---\ntitle: app Sessions\ntags: ${tags}\ncreated: 2026-01-11T10:30:00.123456+00:00\nupdated: '2026-01-11T10:30:00Z'\n---\n\n# Session Log\n`;

  it('reads a plain .kbcontext and frontmatter on the fast path: the library never loads', (t) => {
    const { root, entry } = project(t, '# where sessions go\nproject: app\nsession_entry: projects/app/sessions.md\ndefault_tags:\n  - app\n');
    write(entry, entryText('\n  - app\n  - sessions'));
    ok(['log', '-m', 'Fast path'], root, { env: forbid });
    assert.deepEqual(
      sessions(entry).map((s) => [s.message, s.tags]),
      [['Fast path', ['app']]],
    );
    assert.doesNotMatch(read(entry), /updated: '2026-01-11T10:30:00Z'/);
  });

  it('loads it for YAML the fast path leaves to it (the check above can fail)', (t) => {
    const { root, entry } = project(t);
    write(entry, entryText('[app, sessions]'));
    const result = cli(['log', '-m', 'Flow list'], { cwd: root, env: forbid });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /the YAML library was loaded/);
    ok(['log', '-m', 'Flow list'], root);
    assert.deepEqual(
      sessions(entry).map((s) => s.message),
      ['Flow list'],
    );
  });
});

describe('sessionlog get', () => {
  it('prints the entry as it is, or as JSON', (t) => {
    const { root, entry } = project(t);
    ok(['log', '-m', 'one', '--tags', 'a'], root);
    ok(['log', '-m', 'two', '--links', 'x.md'], root);
    assert.equal(ok(['get', 'projects/app/sessions.md'], root), read(entry));
    const json = JSON.parse(ok(['get', 'projects/app/sessions.md', '--json'], root));
    assert.deepEqual(Object.keys(json), ['path', 'frontmatter', 'sessions']);
    assert.equal(json.path, 'projects/app/sessions.md');
    assert.deepEqual(json.frontmatter.tags, ['app', 'sessions']);
    assert.deepEqual(
      json.sessions.map((s: { message: string; tags: string[]; links: string[] }) => [s.message, s.tags, s.links]),
      [
        ['one', ['a'], []],
        ['two', [], ['x.md']],
      ],
    );
  });

  it('a missing entry is exit 1; no PATH or two is exit 2', (t) => {
    const { root } = project(t);
    const missing = cli(['get', 'nope.md'], { cwd: root });
    assert.equal(missing.status, 1);
    assert.match(oneLine(missing.stderr), /No entry at nope\.md/);
    usage(['get'], root, /exactly one PATH/);
    usage(['get', 'a.md', 'b.md'], root, /exactly one PATH/);
  });
});

describe('sessionlog search', () => {
  it('finds a session the moment it is written, with --tag, --entry-tag, --limit and --json', (t) => {
    const { root } = project(t);
    write(path.join(root, 'notes/other.md'), '---\ntitle: Other\ntags: [ops]\n---\n\n## 2026-01-01 10:00 UTC\n\nDeploy the auth module to staging.\n');
    write(path.join(root, '.hidden/skip.md'), '## 2026-01-01 10:00 UTC\n\nauth module in a hidden folder\n');
    write(path.join(root, 'node_modules/pkg/readme.md'), '## 2026-01-01 10:00 UTC\n\nauth module in node_modules\n');
    ok(['log', '-m', 'Implemented the auth module', '--tags', 'auth'], root);
    const hits = JSON.parse(ok(['search', 'auth', 'module', '--json'], root));
    assert.deepEqual(hits.map((hit: { path: string }) => hit.path).sort(), ['notes/other.md', 'projects/app/sessions.md']);
    for (const hit of hits) {
      assert.deepEqual(Object.keys(hit).sort(), ['endLine', 'heading', 'highlights', 'kind', 'line', 'path', 'project', 'score', 'snippet', 'tags', 'time']);
    }

    ok(['log', '-m', 'A brand new zebra-stripe feature'], root);
    const fresh = JSON.parse(ok(['search', 'zebra-stripe', '--json'], root));
    assert.equal(fresh.length, 1);
    assert.equal(fresh[0].snippet, 'A brand new zebra-stripe feature');

    assert.deepEqual(
      JSON.parse(ok(['search', 'auth', '--tag', 'auth', '--json'], root)).map((hit: { path: string }) => hit.path),
      ['projects/app/sessions.md'],
    );
    assert.deepEqual(JSON.parse(ok(['search', 'auth', '--tags=ops', '--json'], root)), [], "the session's own tags, not its entry's");
    assert.deepEqual(
      JSON.parse(ok(['search', 'auth', '--entry-tag=ops', '--json'], root)).map((hit: { path: string }) => hit.path),
      ['notes/other.md'],
    );
    assert.deepEqual(JSON.parse(ok(['search', '--entry-tag', 'sessions', '--json'], root)).length, 2, "the entry's tags when asked");
    assert.equal(JSON.parse(ok(['search', 'auth', '--limit', '1', '--json'], root)).length, 1);
    assert.match(
      ok(['search', 'zebra-stripe'], root),
      /^projects\/app\/sessions\.md:\d+ {2}session {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC\n {4}A brand new \*\*zebra\*\*-\*\*stripe\*\* feature\n$/,
    );
    assert.equal(ok(['search', 'nothing-matches-this'], root), 'No sessions found.\n');
    usage(['search'], root, /needs a QUERY or a filter/);
    usage(['search', 'x', '--limit', '0'], root, /--limit takes a whole number of at least 1/);
    usage(['search', 'x', '--limit', 'ten'], root, /--limit/);
  });
});

describe('sessionlog history', () => {
  it('lists the sessions newest first, a page at a time', (t) => {
    const { root } = project(t);
    for (let i = 1; i <= 5; i++) ok(['log', '-m', `session ${i}`], root);
    const page = JSON.parse(ok(['history', '--json'], root));
    assert.equal(page.path, 'projects/app/sessions.md');
    assert.equal(page.totalCount, 5);
    assert.deepEqual(
      page.sessions.map((s: { message: string }) => s.message),
      ['session 5', 'session 4', 'session 3', 'session 2', 'session 1'],
    );
    const second = JSON.parse(ok(['history', '--limit', '2', '--offset', '2', '--json'], root));
    assert.deepEqual([second.offset, second.limit, second.totalCount], [2, 2, 5]);
    assert.deepEqual(
      second.sessions.map((s: { message: string }) => s.message),
      ['session 3', 'session 2'],
    );
    assert.deepEqual(JSON.parse(ok(['history', '--offset', '9', '--json'], root)).sessions, []);
    const text = ok(['history', '--limit', '2'], root);
    assert.match(text, /^\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}session 5 {2}\(projects\/app\/sessions\.md:\d+\)\n.*session 4.*\n\(1-2 of 5\)\n$/);
    usage(['history', '--offset', '-1'], root, /Option '--offset' argument is ambiguous/);
    usage(['history', '--offset=-1'], root, /--offset takes a whole number of at least 0/);
  });

  it('says so when there is nothing yet', (t) => {
    const { root } = project(t);
    assert.equal(ok(['history'], root), 'No sessions in projects/app/sessions.md yet.\n');
    assert.equal(JSON.parse(ok(['history', '--json'], root)).totalCount, 0);
  });
});

describe('sessionlog init', () => {
  it('writes a .kbcontext from flags and asks nothing', (t) => {
    const dir = tempDir(t);
    const out = ok(['init', '--project', 'My App', '--primary', 'projects/my-app', '--default-tags', 'app,team', '--json'], dir);
    const result = JSON.parse(out);
    assert.deepEqual(
      { ...result, file: path.basename(result.file) },
      { file: '.kbcontext', project: 'My App', primary: 'projects/my-app', default_tags: ['app', 'team'], kbRoot: dir },
    );
    assert.equal(
      read(path.join(dir, '.kbcontext')),
      "# Session Log / memex project context: where this project's sessions are logged.\nproject: My App\nprimary: projects/my-app\ndefault_tags:\n  - app\n  - team\n",
    );
    assert.deepEqual(JSON.parse(ok(['log', '-m', 'x', '--json'], dir)), {
      path: 'projects/my-app/sessions.md',
      action: 'created',
      project: 'My App',
      context_source: '.kbcontext (primary)',
    });
  });

  it('without flags and without a terminal it takes the detected defaults', (t) => {
    const repo = gitInit(path.join(tempDir(t), 'detected-name'));
    const out = ok(['init'], repo);
    assert.match(out, /^Wrote .*\.kbcontext\nSessions of detected-name will be logged to projects\/detected-name\/sessions\.md in /);
    assert.match(read(path.join(repo, '.kbcontext')), /\nproject: detected-name\nprimary: projects\/detected-name\n/);
  });

  it('--session-entry, --kb-root, and --force to replace an existing one', (t) => {
    const dir = tempDir(t);
    const kb = tempDir(t);
    ok(['init', '--project', 'a', '--session-entry', 'logs/a.md', '--kb-root', kb], dir);
    assert.match(read(path.join(dir, '.kbcontext')), /\nsession_entry: logs\/a\.md\n/);
    assert.doesNotMatch(read(path.join(dir, '.kbcontext')), /primary/);
    const again = cli(['init', '--project', 'b'], { cwd: dir });
    assert.equal(again.status, 1);
    assert.match(oneLine(again.stderr), /already exists.*--force/);
    ok(['init', '--project', 'b', '--force'], dir);
    assert.match(read(path.join(dir, '.kbcontext')), /\nproject: b\n/);
    const outside = cli(['init', '--primary', '../../elsewhere', '--force'], { cwd: dir });
    assert.equal(outside.status, 2, "a flag's path outside the knowledge base is a usage error");
    assert.match(oneLine(outside.stderr), /--primary/);
  });
});

describe('help, usage errors and exit codes', () => {
  const commands: [string[], RegExp][] = [
    [['log'], /^Usage: sessionlog log \(-m TEXT \| -f FILE \| --stdin\)/],
    [['session-log'], /^Usage: sessionlog log /],
    [['get'], /^Usage: sessionlog get PATH/],
    [['search'], /^Usage: sessionlog search QUERY/],
    [['history'], /^Usage: sessionlog history/],
    [['init'], /^Usage: sessionlog init/],
  ];
  for (const [command, pattern] of commands) {
    it(`${command.join(' ')} --help and -h print its usage (exit 0), an unknown flag is exit 2`, (t) => {
      const dir = tempDir(t);
      for (const flag of ['--help', '-h']) {
        const result = cli([...command, flag], { cwd: dir });
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, pattern);
        assert.equal(result.stderr, '');
      }
      usage([...command, '--no-such-flag'], dir, /Unknown option '--no-such-flag'\. See 'sessionlog .* --help'\.$/);
    });
  }

  it('the log help lists every flag', (t) => {
    const help = ok(['log', '--help'], tempDir(t));
    for (const flag of [
      '-m, --message',
      '-f, --file',
      '--stdin',
      '-e, --entry',
      '--tags',
      '--links',
      '--files',
      '--files-from-git',
      '--decision',
      '--follow-up',
      '--next',
      '--no-timestamp',
      '--json',
      '--backup',
    ]) {
      assert.ok(help.includes(flag), flag);
    }
  });

  it('sessionlog alone prints help and exits 2; --help exits 0; an unknown command exits 2', (t) => {
    const dir = tempDir(t);
    const bare = cli([], { cwd: dir });
    assert.equal(bare.status, 2);
    assert.match(bare.stdout, /^Usage: sessionlog <command>/);
    const help = cli(['--help'], { cwd: dir });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Exit codes: 0 success, 1 failure, 2 usage error\./);
    const unknown = cli(['frobnicate'], { cwd: dir });
    assert.equal(unknown.status, 2);
    assert.match(oneLine(unknown.stderr), /unknown command 'frobnicate'/);
    for (const inherited of ['constructor', 'toString', '__proto__']) {
      const result = cli([inherited], { cwd: dir });
      assert.equal(result.status, 2, `${inherited}: ${result.stderr}`);
      assert.match(oneLine(result.stderr), new RegExp(`unknown command '${inherited}'`));
    }
    assert.equal(cli(['--version'], { cwd: dir }).stdout.trim(), JSON.parse(read(path.join(__dirname, '../../../package.json'))).version);
  });

  it('a flag missing its value is a usage error', (t) => {
    const { root } = project(t);
    usage(['log', '-m'], root, /Option '-m, --message <value>' argument missing/);
    usage(['log', '-m', 'x', '--entry'], root, /argument missing/);
  });

  it('a path given by a flag that leads outside the knowledge base is a usage error (exit 2), as other usage errors', (t) => {
    const { root, entry } = project(t);
    usage(['log', '-m', 'x', '--entry', path.join(root, 'abs.md')], root, /--entry '.*abs\.md' is an absolute path, outside the knowledge base/);
    usage(['log', '-m', 'x', '-e', '../out.md'], root, /-e|--entry/);
    assert.ok(!fs.existsSync(entry) && !fs.existsSync(path.join(root, 'abs.md')));
  });

  it('failures are exit 1 with one line on stderr and nothing on stdout', (t) => {
    const dir = tempDir(t);
    const result = cli(['log', '-m', 'x', '--json'], { cwd: dir });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(oneLine(result.stderr), /^sessionlog log: No knowledge base found/);
  });
});
