/**
 * Property: the simple YAML reader gives exactly what the `yaml` library gives, or leaves the
 * text to the library; and it does read the simple documents the project writes and reads most.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { parseSimpleYaml } from '../../src/core/format/simpleYaml';

/** Whenever the fast path reads `text`, the library reads it too, to the same value. */
function assertAgrees(text: string): void {
  const fast = parseSimpleYaml(text);
  if (fast === undefined) return;
  let library: unknown;
  try {
    library = YAML.parse(text);
  } catch (error) {
    assert.fail(`the library rejects ${JSON.stringify(text)}, read as ${JSON.stringify(fast)}: ${String(error)}`);
  }
  assert.deepStrictEqual(fast, library, JSON.stringify(text));
}

const RESERVED = /^(?:null|true|false)$/i;

/** A scalar as written after `key: ` or `- `, and whether the fast path must read it. */
interface Scalar {
  text: string;
  safe: boolean;
}

const key = fc
  .oneof(
    { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'title', 'tags', 'created', 'y', 'no', 'on') },
  )
  .filter((value) => !RESERVED.test(value));
const anyKey = fc.oneof({ weight: 6, arbitrary: key }, { weight: 1, arbitrary: fc.constantFrom('null', 'Null', 'TRUE', 'false', 'NuLL', 'k'.repeat(1025)) });

const TEXT_CHARS = [
  'a',
  'b',
  'Z',
  '0',
  '9',
  ' ',
  ' ',
  '_',
  '.',
  '/',
  '@',
  '+',
  ',',
  '(',
  ')',
  '-',
  ':',
  '#',
  "'",
  '"',
  '[',
  ']',
  '{',
  '}',
  '!',
  '&',
  '*',
  '|',
  '>',
  '%',
  '`',
  '?',
  '~',
  '\\',
  'é',
  '中',
  '😀',
  '\u00a0',
  '\u2028',
  '\u3000',
];
const PLAIN_START = ['a', 'Q', '_', '/', '(', 'é', '中'];
const plain = fc
  .tuple(fc.constantFrom(...PLAIN_START), fc.string({ unit: fc.constantFrom(...TEXT_CHARS), maxLength: 12 }))
  .map(([first, rest]) => first + rest)
  .filter((value) => !/:(?: |$)| #| $/.test(value) && !RESERVED.test(value));

/** Dates and timestamps in the forms memex and this project write, which the core schema reads as strings. */
const timestamp = fc
  .tuple(
    fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.constantFrom('iso', 'date', 'space', 'seconds', 'micro', 'offset'),
  )
  .map(([date, form]) => {
    const iso = date.toISOString();
    switch (form) {
      case 'date':
        return iso.slice(0, 10);
      case 'space':
        return iso.slice(0, 19).replace('T', ' ');
      case 'seconds':
        return `${iso.slice(0, 19)}Z`;
      case 'micro':
        return `${iso.slice(0, 23)}456+00:00`;
      case 'offset':
        return `${iso.slice(0, 19)}-05:30`;
      default:
        return iso;
    }
  });

const quotable = fc.string({ unit: fc.constantFrom(...TEXT_CHARS, "'"), maxLength: 12 });
const singleQuoted = quotable.map((value) => `'${value.replace(/'/g, "''")}'`);
const doubleQuoted = quotable.filter((value) => !/["\\]/.test(value)).map((value) => `"${value}"`);

const safeScalar: fc.Arbitrary<Scalar> = fc
  .oneof(
    { weight: 4, arbitrary: plain },
    { weight: 2, arbitrary: timestamp },
    { weight: 2, arbitrary: timestamp.map((value) => `'${value}'`) },
    { weight: 2, arbitrary: singleQuoted },
    { weight: 2, arbitrary: doubleQuoted },
  )
  .map((text) => ({ text, safe: true }));

/** Scalars the fast path may leave to the library: other types, indicators, comments, escapes. */
const otherScalar: fc.Arbitrary<Scalar> = fc
  .oneof(
    fc.constantFrom(
      'null',
      'Null',
      'NULL',
      'NuLL',
      '~',
      'true',
      'True',
      'TRUE',
      'false',
      'FALSE',
      'tRUE',
      '0',
      '12',
      '-1',
      '+1',
      '012',
      '0o17',
      '0o8',
      '0x1F',
      '0x',
      '1e3',
      '1E-3',
      '.5',
      '1.',
      '-.5e+2',
      '.inf',
      '-.Inf',
      '+.INF',
      '.nan',
      '.NaN',
      '1_000',
      '-x',
      '?x',
      ':x',
      '.x',
      '~x',
      '0:1',
      '12:30:00',
      '1-2',
      '2026',
      '-',
      '- x',
      '#x',
      'x #y',
      'x:',
      'x: y',
      '|',
      '>',
      '&a x',
      '*a',
      '!tag x',
      '%x',
      '@x',
      '`x',
      '[a, b]',
      '{a: b}',
      "'x'#c",
      "'x' #c",
      '"a\\nb"',
      '"x" #c',
      "'x",
      '"x',
      "'x'y'",
      '\u00a0',
      '\u00a0x',
      ',x',
      '2026-01-11: x',
      '2026-01-11 #c',
    ),
    fc.integer().map(String),
    fc.double().map(String),
    fc.string({ unit: fc.constantFrom(...TEXT_CHARS), minLength: 1, maxLength: 10 }),
  )
  .map((text) => ({ text, safe: false }));

const spaces = (min: number, max: number) => fc.integer({ min, max }).map((count) => ' '.repeat(count));

type Value =
  | { kind: 'scalar'; scalar: Scalar; before: string; after: string }
  | { kind: 'empty'; after: string }
  | { kind: 'list'; indent: number; items: { scalar: Scalar; before: string; after: string }[] };

function value(scalar: fc.Arbitrary<Scalar>): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('scalar' as const), scalar, before: spaces(1, 2), after: spaces(0, 2) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('empty' as const), after: spaces(0, 2) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('list' as const),
        indent: fc.integer({ min: 0, max: 4 }),
        items: fc.array(fc.record({ scalar, before: spaces(1, 2), after: spaces(0, 2) }), { minLength: 1, maxLength: 4 }),
      }),
    },
  );
}

/** Lines a reader skips anywhere: blank ones and full-line comments at any indentation. */
const filler = fc.oneof(
  spaces(0, 3),
  fc.tuple(spaces(0, 6), fc.string({ unit: fc.constantFrom(...TEXT_CHARS), maxLength: 12 })).map(([indent, text]) => `${indent}#${text}`),
);
const fillers = fc.oneof({ weight: 4, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.array(filler, { minLength: 1, maxLength: 2 }) });

/**
 * A document in the subset; `safe` when every key and scalar in it is one the fast path must read.
 * With `repeats`, its first key may come again at the end, which the library rejects.
 */
function document(keys: fc.Arbitrary<string>, scalar: fc.Arbitrary<Scalar>, repeats = false): fc.Arbitrary<{ text: string; safe: boolean }> {
  const entries = fc.uniqueArray(fc.tuple(keys, value(scalar)), { minLength: 1, maxLength: 6, selector: ([name]) => name });
  const repeated = fc
    .tuple(entries, fc.boolean(), value(scalar))
    .map(([pairs, again, last]) => (repeats && again ? [...pairs, [pairs[0]![0], last] as const] : pairs));
  return fc
    .tuple(repeated, fc.array(fillers, { minLength: 32, maxLength: 32 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('', '\n', '\n\n'))
    .map(([pairs, fill, eol, end]) => {
      const lines: string[] = [];
      let safe = true;
      let next = 0;
      const add = (line: string) => lines.push(...fill[next++]!, line);
      for (const [name, entry] of pairs) {
        safe &&= !RESERVED.test(name) && name.length <= 1024;
        if (entry.kind === 'scalar') {
          add(`${name}:${entry.before}${entry.scalar.text}${entry.after}`);
          safe &&= entry.scalar.safe;
        } else if (entry.kind === 'empty') {
          add(`${name}:${entry.after}`);
        } else {
          add(`${name}:`);
          for (const item of entry.items) {
            add(`${' '.repeat(entry.indent)}-${item.before}${item.scalar.text}${item.after}`);
            safe &&= item.scalar.safe;
          }
        }
      }
      lines.push(...fill[next]!);
      safe &&= new Set(pairs.map(([name]) => name)).size === pairs.length;
      return { text: lines.join(eol) + end.replace(/\n/g, eol), safe };
    });
}

const safeDocument = document(key, safeScalar);
const mixedDocument = document(anyKey, fc.oneof({ weight: 2, arbitrary: safeScalar }, { weight: 1, arbitrary: otherScalar }), true);

const YAMLISH = [
  ...TEXT_CHARS,
  'k',
  'e',
  'E',
  'n',
  'u',
  'l',
  't',
  'r',
  'T',
  'Z',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\n',
  '\n  ',
  '\n- ',
  '  - ',
  ': ',
  ':',
  '---',
  '...',
  '\ufeff',
  '\ud800',
  '\u0085',
  '\u0000',
];
const yamlishLine = fc.oneof(
  fc.string({ unit: fc.constantFrom(...YAMLISH), maxLength: 16 }),
  fc
    .tuple(
      fc.constantFrom('a', 'b', 'key', 'a-b', '_'),
      fc.constantFrom(':', ': ', ':  ', ':\t', ' :'),
      fc.string({ unit: fc.constantFrom(...YAMLISH), maxLength: 12 }),
    )
    .map(([name, colon, rest]) => name + colon + rest),
  fc
    .tuple(spaces(0, 3), fc.constantFrom('- ', '-', '-  '), fc.string({ unit: fc.constantFrom(...YAMLISH), maxLength: 12 }))
    .map(([indent, dash, rest]) => indent + dash + rest),
);
/** YAML-ish text: random lines, or a document in the subset with a piece inserted or replaced, or a line indented or dedented. */
const yamlish = fc.oneof(
  fc.array(yamlishLine, { maxLength: 6 }).map((lines) => lines.join('\n')),
  fc
    .tuple(mixedDocument, fc.nat(), fc.constantFrom(...YAMLISH), fc.constantFrom('insert', 'replace', 'indent', 'dedent'))
    .map(([{ text }, at, piece, edit]) => {
      let index = at % (text.length + 1);
      if (edit === 'insert' || edit === 'replace') return text.slice(0, index) + piece + text.slice(index + (edit === 'replace' ? 1 : 0));
      index = text.indexOf('\n', index) + 1;
      if (edit === 'indent') return `${text.slice(0, index)} ${text.slice(index)}`;
      return text[index] === ' ' ? text.slice(0, index) + text.slice(index + 1) : text;
    }),
);

describe('parseSimpleYaml', () => {
  it('reads every document of the simple subset, as the library does', () => {
    fc.assert(
      fc.property(safeDocument, ({ text }) => {
        assert.notEqual(parseSimpleYaml(text), undefined, JSON.stringify(text));
        assertAgrees(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the library whenever it reads a document with other scalars and keys', () => {
    fc.assert(
      fc.property(mixedDocument, ({ text, safe }) => {
        if (safe) assert.notEqual(parseSimpleYaml(text), undefined, JSON.stringify(text));
        assertAgrees(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the library whenever it reads arbitrary YAML-ish text, and never throws', () => {
    fc.assert(fc.property(yamlish, assertAgrees), { numRuns: 2000 });
  });

  it('reads a .kbcontext file', () => {
    const text =
      "# Session Log / memex project context: where this project's sessions are logged.\nproject: demo\nprimary: projects/demo\ndefault_tags:\n  - demo\n  - backend\n";
    assert.deepStrictEqual(parseSimpleYaml(text), { project: 'demo', primary: 'projects/demo', default_tags: ['demo', 'backend'] });
    assertAgrees(text);
  });

  it('reads an entry frontmatter, timestamps as strings', () => {
    const text = "title: demo Sessions\ntags:\n  - demo\n  - sessions\ncreated: '2026-01-11T10:30:00Z'\nupdated: 2026-01-11T10:31:00.123456+00:00\n";
    const expected = { title: 'demo Sessions', tags: ['demo', 'sessions'], created: '2026-01-11T10:30:00Z', updated: '2026-01-11T10:31:00.123456+00:00' };
    assert.deepStrictEqual(parseSimpleYaml(text), expected);
    assert.deepStrictEqual(parseSimpleYaml(text.replace(/\n/g, '\r\n')), expected);
    assertAgrees(text);
  });

  it("reads what the library reads for timestamps, lists at the key's column, comments and empty values", () => {
    const cases: [string, Record<string, unknown>][] = [
      ['a: 2026-01-11T10:30:00Z', { a: '2026-01-11T10:30:00Z' }],
      ['a: 2026-01-11T10:30:00.123456+00:00', { a: '2026-01-11T10:30:00.123456+00:00' }],
      ['a: 2026-01-11 10:30:00', { a: '2026-01-11 10:30:00' }],
      ['a: 2026-01-11', { a: '2026-01-11' }],
      ['a:\n- x\n# c\n- y', { a: ['x', 'y'] }],
      ['a:\n# c\n    - x\n  # c\n    - y\nb:\nc:   ', { a: ['x', 'y'], b: null, c: null }],
      ["a: 'it''s: #1'  \nb: \"x: 'y' #z\"", { a: "it's: #1", b: "x: 'y' #z" }],
      ['a: b#c:d\nb: x\u00a0', { a: 'b#c:d', b: 'x\u00a0' }],
      ['turnCount: 12\nzero: 0\ntags: []', { turnCount: 12, zero: 0, tags: [] }],
    ];
    for (const [text, expected] of cases) {
      assert.deepStrictEqual(YAML.parse(text), expected, text);
      assert.deepStrictEqual(parseSimpleYaml(text), expected, text);
    }
  });

  it('makes `__proto__` an own key, as the library does', () => {
    const fast = parseSimpleYaml('__proto__: x\nconstructor: y');
    assert.deepStrictEqual(fast, YAML.parse('__proto__: x\nconstructor: y'));
    assert.equal(Object.getPrototypeOf(fast), Object.prototype);
    assert.deepStrictEqual(Object.keys(fast!), ['__proto__', 'constructor']);
  });

  it('leaves everything else to the library', () => {
    const cases = [
      'tags: [a, b]',
      'a: {b: c}',
      'a: |\n  text',
      'a: >\n  text',
      'a:\n  b: c',
      'a: x\na: y',
      'a:\tx',
      'a: x\ty',
      'a: &x y\nb: *x',
      'a: !tag x',
      '? a\n: b',
      'a: x\n  continued',
      'a: x\n  - y',
      'a:\n  - x\n   - y',
      'a:\n  - x\n - y',
      'a:\n  -',
      'a:\n  - - x',
      'a:\n  - b: c',
      '---\na: x',
      'a: x\n...',
      '%YAML 1.2\n---\na: x',
      '\ufeffa: x',
      'a: x\r',
      'a: x\ry',
      ' a: x',
      'a : x',
      'a:x',
      'a: x #c',
      'a: b: c',
      'a: x:',
      'a: 01',
      'a: -1',
      'a: 1.5',
      'a: [ ]',
      '- []',
      'a: .inf',
      'a: 0x1F',
      'a: true',
      'a: NULL',
      'a: ~',
      'a: -x',
      'null: x',
      'True: x',
      '',
      '# only a comment\n',
      '\n  \n',
      '- x',
      'a: "x\\ny"',
    ];
    for (const text of cases) assert.equal(parseSimpleYaml(text), undefined, JSON.stringify(text));
  });

  it('shows library readings the subset steers clear of', () => {
    // A lone `\r` is content; `null` and `True` as keys become '' and 'true'; a key may have at most 1024 characters.
    assert.deepStrictEqual(YAML.parse('a: x\r'), { a: 'x\r' });
    assert.deepStrictEqual(YAML.parse('null: x\nTrue: y'), { '': 'x', true: 'y' });
    assert.throws(() => YAML.parse(`${'k'.repeat(1025)}: x`));
    assert.equal(parseSimpleYaml(`${'k'.repeat(1025)}: x`), undefined);
    // An indented `- ` line after a value continues it; an empty document is null.
    assert.deepStrictEqual(YAML.parse('a: x\n  - y'), { a: 'x - y' });
    assert.equal(YAML.parse('# only a comment\n'), null);
  });
});
