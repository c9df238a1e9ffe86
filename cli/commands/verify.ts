/**
 * `puretls verify [--cafile F] [--untrusted F] [--host NAME] [--purpose server|client] [--time EPOCH] CERT.pem...`:
 * offline chain validation through `puretls/x509.verify_chain`, reported as
 * `openssl verify` reports it: `CERT.pem: OK` on stdout, or on stderr the
 * subject of the certificate at fault, `error N at D depth lookup: MESSAGE`
 * and `error CERT.pem: verification failed`, with exit status 2 when any
 * certificate fails (1 for files that cannot be read, as openssl).
 * @module
 */
import process from 'node:process';
import * as ssl from 'puretls/ssl';
import * as x509 from 'puretls/x509';
import { type CertDict, onelineName } from '../certificate-text.ts';
import { UsageError } from '../failure.ts';
import { readText } from '../files.ts';
import { type Parsed, parseOptions, text } from '../options.ts';

const HELP = `usage: puretls verify [--cafile F] [--untrusted F] [--host NAME] [--purpose server|client] [--time EPOCH] CERT.pem...

  --cafile F       trusted CA certificates (PEM); the system's when absent
  --untrusted F    intermediate certificates to build the chain with (PEM)
  --host NAME      check the leaf is for this host name or IP address
  --purpose P      server (the default) or client
  --time EPOCH     validate at this time (seconds since 1970) instead of now`;

/** What `openssl verify` exits with when a chain does not verify. */
const EXIT_VERIFY_FAILED = 2;

/** OpenSSL's texts where CPython's verify_message is its own (`_ssl.c` rewrites the name mismatches). */
const OPENSSL_MESSAGES: Readonly<Record<number, string>> = { 62: 'hostname mismatch', 64: 'IP address mismatch' };

export async function verify(args: string[]): Promise<number> {
  const parsed = parseOptions('verify', args, {
    cafile: { type: 'string' },
    untrusted: { type: 'string' },
    host: { type: 'string' },
    purpose: { type: 'string' },
    time: { type: 'string' },
  });
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('verify: name a certificate file (puretls verify --help)');
  const cafile = text(parsed, 'cafile');
  const trusted = cafile === undefined ? systemCertificates() : readText(cafile);
  const untrustedFile = text(parsed, 'untrusted');
  const untrusted = untrustedFile === undefined ? [] : [readText(untrustedFile)];
  const options: x509.VerifyChainOptions = {
    trusted,
    intermediates: untrusted,
    purpose: purposeOf(parsed),
    hostname: text(parsed, 'host') ?? null,
    time: timeOf(parsed),
  };
  let status = 0;
  for (const path of parsed.positionals) {
    const peer = readText(path);
    try {
      x509.verify_chain(peer, options);
      process.stdout.write(`${path}: OK\n`);
    } catch (error) {
      if (!(error instanceof x509.SSLCertVerificationError)) throw error;
      const depth = (error as x509.ChainVerificationError).verify_depth;
      const code = error.verify_code ?? 0;
      const subject = subjectAtDepth(peer, [trusted, ...untrusted].flat(), depth);
      process.stderr.write(
        `${subject === null ? '' : `${subject}\n`}error ${code} at ${depth} depth lookup: ${OPENSSL_MESSAGES[code] ?? error.verify_message}\nerror ${path}: verification failed\n`,
      );
      status = EXIT_VERIFY_FAILED;
    }
  }
  return status;
}

function purposeOf(parsed: Parsed): x509.PurposeInput {
  const purpose = text(parsed, 'purpose') ?? 'server';
  if (purpose === 'server') return x509.Purpose.SERVER_AUTH;
  if (purpose === 'client') return x509.Purpose.CLIENT_AUTH;
  throw new UsageError(`verify: --purpose must be server or client, not ${JSON.stringify(purpose)}`);
}

function timeOf(parsed: Parsed): number | null {
  const given = text(parsed, 'time');
  if (given === undefined) return null;
  if (!/^\d+$/.test(given)) throw new UsageError(`verify: --time takes seconds since 1970, not ${JSON.stringify(given)}`);
  return Number(given);
}

/** The system's trusted certificates, as `create_default_context()` loads them. */
function systemCertificates(): Uint8Array[] {
  return ssl.create_default_context().get_ca_certs(true) as Uint8Array[];
}

/**
 * The subject of the certificate `depth` steps up from the leaf, found by
 * following issuer names through the certificates given, as openssl prints
 * it above the error line. For display only: verify_chain did the real path
 * building; null when the walk cannot reach that depth.
 */
function subjectAtDepth(peer: string, others: readonly (string | Uint8Array)[], depth: number): string | null {
  const pool = [peer, ...others].flatMap(certificatesOf);
  let current = pool[0];
  for (let step = 0; current !== undefined && step < depth; step++) {
    const issuer = JSON.stringify(current.issuer);
    if (JSON.stringify(current.subject) === issuer) return null;
    current = pool.find((cert) => JSON.stringify(cert.subject) === issuer);
  }
  return current === undefined ? null : onelineName(current.subject);
}

/** Every certificate of PEM text (or DER), decoded; anything that does not decode is left out of the display walk. */
function certificatesOf(input: string | Uint8Array): CertDict[] {
  const blocks = typeof input === 'string' ? input.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [] : [input];
  return blocks.flatMap((block) => {
    try {
      return [x509.decode_certificate(block)];
    } catch {
      return [];
    }
  });
}
