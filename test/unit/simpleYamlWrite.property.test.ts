/**
 * Property: the simple YAML writer gives byte for byte what the `yaml` library writes, or leaves
 * the data to the library; what it writes reads back (fast path and library alike) as the data.
 * It is what keeps a hook process from loading the library for an agent session's summary.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { parseSimpleYaml, stringifySimpleYaml } from '../../src/core/format/simpleYaml';

const text = fc.string({ unit: fc.constantFrom(...'aZ09 _./()@+,-:#\'"!?[]{}&*|>%`~\\'.split('')), maxLength: 14 });
const value = fc.oneof(
  text,
  fc.constantFrom(
    'ClaudeCode',
    'req-20260409T120002Z-add-jwt-001',
    '2026-04-09T12:00:01Z',
    'src/a.ts',
    'Refactor the tree view',
    'yes',
    'null',
    '.gitignore',
    'a: b',
    '',
  ),
  fc.nat({ max: 100_000 }),
  fc.array(fc.oneof(text, fc.constantFrom('src/Services/TokenService.cs', 'feature')), { maxLength: 3 }),
);
const data = fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/), value, { minKeys: 1, maxKeys: 6 });

describe('stringifySimpleYaml', () => {
  it('writes exactly what the library writes, and it reads back as the data', () => {
    let written = 0;
    fc.assert(
      fc.property(data, (given) => {
        const input = { ...given };
        const fast = stringifySimpleYaml(input);
        if (fast === undefined) return;
        written++;
        assert.equal(fast, YAML.stringify(input, { lineWidth: 0 }), JSON.stringify(input));
        assert.deepStrictEqual(YAML.parse(fast), input);
        assert.deepStrictEqual(parseSimpleYaml(fast), input, 'the fast reader reads it without the library');
      }),
      { numRuns: 3000 },
    );
    assert.ok(written > 300, `the fast path wrote ${written} of 3000`);
  });

  it('writes an agent session summary as the library does', () => {
    const summary = {
      type: 'agent-session',
      agent: 'ClaudeCode',
      sessionId: 'ClaudeCode-20260121T061938Z-c64cc478-3430',
      title: 'Refactor the tree view',
      model: 'claude-opus-4-5-20251101',
      started: '2026-01-21T06:19:38Z',
      lastUpdated: '2026-01-21T06:20:29Z',
      status: 'in_progress',
      turnCount: 12,
      filesModifiedCount: 2,
      filesModified: ['src/math_utils.py', 'tests/test_math_utils.py'],
      tags: [],
      currentTurn: 'req-20260121T061938Z-refactor-1',
      currentTurnStatus: 'completed',
      currentTurnUpdated: '2026-01-21T06:20:29Z',
    };
    assert.equal(stringifySimpleYaml(summary), YAML.stringify(summary, { lineWidth: 0 }));
    assert.equal(stringifySimpleYaml({ ...summary, title: 'Fix: the login' }), undefined, 'a string that needs quoting is left to the library');
  });
});
