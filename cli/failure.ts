/**
 * How the command line fails: one line naming the exception as Python
 * would (`SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] ...`),
 * exit status 1, or 2 for a command line that cannot be understood (as
 * Python's argparse). `--debug` adds the stack trace.
 * @module
 */
import process from 'node:process';

/** A command line the program cannot act on; its message says what to change. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Writes `error` as one line (plus its stack with `debug`) and returns the exit status. */
export function reportFailure(error: unknown, debug: boolean): number {
  process.stderr.write(`puretls: ${failureLine(error)}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

/** `Name: message` on one line; errors from Node itself (ECONNREFUSED...) keep their code. */
export function failureLine(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  if (!(error instanceof Error)) return String(error);
  const text = error.message.replace(/\s*\n\s*/g, ' ');
  return error.name && error.name !== 'Error' ? `${error.name}: ${text}` : text;
}
