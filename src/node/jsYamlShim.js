// Stands in for js-yaml inside gray-matter (see esbuild.js): one YAML parser, `yaml`.
const YAML = require('yaml');

module.exports = {
  safeLoad: (text) => YAML.parse(text),
  load: (text) => YAML.parse(text),
  safeDump: (value) => YAML.stringify(value),
  dump: (value) => YAML.stringify(value),
};
