/**
 * Dispatches `puretls COMMAND ...` to its module and turns what it throws
 * into one line on stderr and a non-zero exit status; the stack trace only
 * with `--debug`.
 * @module
 */
import process from 'node:process';
import { UsageError, reportFailure } from './failure.ts';

interface Command {
  readonly summary: string;
  readonly run: (args: string[]) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  demo: { summary: 'a CA, a server and a verifying client in this process; prints what each side saw', run: async (a) => (await import('./commands/demo.ts')).demo(a) },
  connect: { summary: 'a TLS client: print the session, then pipe stdin and stdout', run: async (a) => (await import('./commands/connect.ts')).connect(a) },
  serve: { summary: 'a TLS server: echo (or --www) for many clients at once', run: async (a) => (await import('./commands/serve.ts')).serve(a) },
  verify: { summary: 'validate a certificate chain offline, as openssl verify', run: async (a) => (await import('./commands/verify.ts')).verify(a) },
};

export const USAGE = `usage: puretls COMMAND [options]   (puretls COMMAND --help for its options)

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

  --debug   print the stack trace of an error`;

/** Runs the command line `args`; resolves with the exit status. */
export async function main(args: string[]): Promise<number> {
  const debug = args.includes('--debug');
  const rest = args.filter((a) => a !== '--debug');
  const [name, ...commandArgs] = rest;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; try: ${Object.keys(COMMANDS).join(', ')}`);
    return await command.run(commandArgs);
  } catch (error) {
    return reportFailure(error, debug);
  }
}
