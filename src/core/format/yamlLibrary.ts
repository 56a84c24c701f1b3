/**
 * The YAML libraries, behind `yamlLibrary()`: bundled apart (dist/yaml.js) and loaded on first
 * use, so a process whose YAML all takes the fast path (parseSimpleYaml) never reads them.
 */
import matter from 'gray-matter';
import * as YAML from 'yaml';

export { matter, YAML };
