/**
 * Option parsing for the commands: `node:util`'s `parseArgs`, strict, with
 * its errors turned into a `UsageError` that points at `--help`.
 * @module
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './failure.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/** Parses `args` for `command`; `--help` is always accepted and reported as `values.help`. */
export function parseOptions(command: string, args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message} (puretls ${command} --help)`);
  }
}

/** A string option's value, or undefined. */
export function text(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A comma-separated list option (`--alpn h2,http/1.1`). */
export function list(parsed: Parsed, name: string): string[] {
  return (text(parsed, name) ?? '').split(',').filter((item) => item !== '');
}
