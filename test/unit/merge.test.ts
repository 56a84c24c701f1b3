import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeEntries } from '../../src/core/format/merge';
import { parseEntry } from '../../src/core/format/parse';

const head = (updated: string) =>
  `---\ntitle: team Sessions\ntags:\n  - team\n  - sessions\ncreated: '2026-01-11T10:30:00Z'\nupdated: '${updated}'\n---\n\n# Session Log\n\nSession notes for team.\n`;
const section = (message: string, extra = '') => `\n## 2026-01-11 14:45 UTC\n\n#team\n\n${message}\n${extra}`;

describe('mergeEntries', () => {
  const base = head('2026-01-11T10:30:00Z') + section('Base session');

  it("keeps both sides' appends as separate sessions even with the same heading and links", () => {
    const related = '\nRelated: [[patterns/oauth2.md]]\n';
    const ours = head('2026-01-11T14:45:10Z') + section('Base session') + section('Ours', related);
    const theirs = head('2026-01-11T14:45:30Z') + section('Base session') + section('Theirs', related);
    const merged = mergeEntries(base, ours, theirs)!;
    const sessions = parseEntry(merged).sessions;
    assert.deepEqual(
      sessions.map((s) => s.message),
      ['Base session', 'Ours', 'Theirs'],
    );
    assert.deepEqual(
      sessions.map((s) => s.links),
      [[], ['patterns/oauth2.md'], ['patterns/oauth2.md']],
    );
    assert.match(merged, /^updated: '2026-01-11T14:45:30Z'$/m, 'the later update time wins');
    assert.equal(merged.match(/^updated:/gm)!.length, 1);
  });

  it('takes a change to an old session from one side and appends from the other', () => {
    const withTask = (done: string) => head('2026-01-11T10:30:00Z') + section('Base session', `\n### Follow-ups\n\n- [${done}] Ship it\n`);
    const base2 = withTask(' ');
    const ours = withTask('x');
    const theirs = withTask(' ') + section('New from theirs');
    const sessions = parseEntry(mergeEntries(base2, ours, theirs)!).sessions;
    assert.deepEqual(
      sessions.map((s) => s.message),
      ['Base session', 'New from theirs'],
    );
    assert.equal(sessions[0]!.followUps[0]!.done, true);
  });

  it('gives up when both sides changed the same session differently', () => {
    const ours = head('2026-01-11T10:30:00Z') + section('Base session, edited by us');
    const theirs = head('2026-01-11T10:30:00Z') + section('Base session, edited by them');
    assert.equal(mergeEntries(base, ours, theirs), undefined);
  });

  it('gives up on unparseable frontmatter', () => {
    assert.equal(mergeEntries(base, '---\ntitle: [broken\n---\n', base), undefined);
  });
});
