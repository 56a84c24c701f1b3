/**
 * The YAML libraries, behind `yamlLibrary()`: bundled apart (dist/yaml.js) and loaded on first
 * use, so a process whose YAML all takes the fast path (parseSimpleYaml) never reads them.
 */
import matter from 'gray-matter';
import * as YAML from 'yaml';

export { matter, YAML };

/**
 * `value` as YAML that memex reads the same: memex's PyYAML reads YAML 1.1, where a plain `yes`,
 * `on`, `no`, `12:30` or `2026-04-09` is a boolean, a number or a date, not the string it is in
 * YAML 1.2 (a title `Yes` would make the file an invalid memex entry). Such strings are double-quoted.
 */
export function stringifyYaml(value: unknown, options: YAML.ToStringOptions = {}): string {
  const doc = new YAML.Document(value);
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !sameIn11(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(options);
}

/** Whether the string, written plain, reads back as itself in YAML 1.1 (anything else the library quotes as 1.2 needs). */
function sameIn11(text: string): boolean {
  if (text.includes('\n')) return true;
  try {
    return YAML.parse(text, { version: '1.1' }) === text;
  } catch {
    return true;
  }
}
