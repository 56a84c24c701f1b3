/** sessionlog report: the bundled CLI's formats, --save and the flags it names. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/report/report';
import { cli, oneLine } from '../support/cli';
import { week48 } from '../support/reportKb';

describe('sessionlog report', () => {
  it('prints Markdown, JSON or HTML, saves with --save, and names the flag at fault', async (t) => {
    const base = await week48(t);
    const cwd = path.join(base.kb, 'app');
    const env = { MEMEX_KB_ROOT: base.kb };
    const run = (...args: string[]) => cli(['report', '--week', '2026-W48', '--tz', 'UTC', ...args], { cwd, env });
    const md = run();
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^# Week 2026-W48 · app\n/);
    const json = JSON.parse(run('--format', 'json').stdout) as Report;
    assert.equal(json.totals.superseded, 1);
    assert.deepEqual(
      JSON.parse(run('--json', '--all').stdout).projects.map((p: { name: string }) => p.name),
      ['app', 'site'],
    );
    const html = run('--format', 'html').stdout;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<h1>Week 2026-W48 · app<\/h1>/);
    assert.match(html, /<input type="checkbox" disabled checked> Write the docs/);
    assert.doesNotMatch(html, /<script|https?:\/\//);
    assert.equal(run('--save').stdout, 'Report saved: reports/app/2026-W48.md\n');
    assert.equal(run('--save').stdout, 'Report unchanged: reports/app/2026-W48.md\n');
    assert.equal(cli(['report', '--week', '--tz', 'UTC', '--json'], { cwd, env }).status, 0, '--week alone is this week');

    const usage = (args: string[], pattern: RegExp) => {
      const result = cli(['report', ...args], { cwd, env });
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(oneLine(result.stderr), pattern);
    };
    usage(['--since', '2026-13-01'], /^sessionlog report: --since '2026-13-01' is not a date I can read\. Give --since as YYYY-MM-DD/);
    usage(['--week', 'next'], /--week 'next' is not a week/);
    usage(['--tz', 'Nowhere/City'], /'Nowhere\/City' is not a time zone/);
    usage(['--format', 'pdf'], /--format takes md, json or html \(got 'pdf'\)\./);
    usage(['--all', '--project', 'app'], /--project NAME or --all, not both/);
    usage(['--project', 'nope'], /--project 'nope' is not a project .* Give one of: app, site\./);
    assert.match(cli(['report', '--help'], { cwd, env }).stdout, /--week \[this\|last\|YYYY-Www\]/);
  });
});
