import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong words on the command line: exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  'kb-root': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false) {
  const all: Options = { ...COMMON_OPTIONS, ...options };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.').trim();
    throw new UsageError(/[.!?]$/.test(message) ? message : `${message}.`);
  }
  refuseRepeated(parsed.tokens, all);
  return parsed;
}

/** A flag that takes one value, given twice, would silently lose the first: refused. */
function refuseRepeated(tokens: { kind: string; name?: string }[], options: Options): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || !token.name) continue;
    const option = options[token.name];
    if (!option || option.type !== 'string' || option.multiple) continue;
    if (seen.has(token.name)) {
      const flag = option.short ? `-${option.short}/--${token.name}` : `--${token.name}`;
      throw new UsageError(`${flag} was given more than once; give it once (only one value is kept).`);
    }
    seen.add(token.name);
  }
}

export function integer(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${flag} takes a whole number of at least ${min} (got '${value}').`);
  return Number(value);
}

/** Comma-separated lists, also given several times: `--tags=a,b --tags c`. */
export function list(values: string | string[] | undefined): string[] {
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values])
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}
