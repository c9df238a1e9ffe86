/**
 * `ssl.create_default_context()` and `ssl._create_unverified_context()` as
 * CPython 3.13 writes them in `Lib/ssl.py`: a client context that verifies the
 * chain and the host name against the default CA store (or the given CAs),
 * with `VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN` (new in 3.13), and
 * `SSLKEYLOGFILE` honoured.
 * @module
 */
import { CERT_NONE, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, VERIFY_X509_PARTIAL_CHAIN, VERIFY_X509_STRICT } from './constants.ts';
import { SSLContext } from './context.ts';
import { ValueError } from './exceptions.ts';
import { environment } from './runtime/host.ts';
import { Purpose } from './x509.ts';

type PurposeObject = (typeof Purpose)[keyof typeof Purpose];

export interface VerifyLocations {
  readonly cafile?: string | null;
  readonly capath?: string | null;
  readonly cadata?: string | Uint8Array | null;
}

export interface UnverifiedContextOptions extends VerifyLocations {
  readonly cert_reqs?: number | null;
  readonly check_hostname?: boolean;
  readonly purpose?: PurposeObject;
  readonly certfile?: string | null;
  readonly keyfile?: string | null;
}

/** The protocol CPython picks for a purpose: a client verifies servers, a server verifies clients. */
function protocolFor(purpose: unknown): number {
  if (purpose === null || typeof purpose !== 'object' || !('oid' in purpose)) throw new TypeError(String(purpose));
  if (purpose === Purpose.SERVER_AUTH) return PROTOCOL_TLS_CLIENT;
  if (purpose === Purpose.CLIENT_AUTH) return PROTOCOL_TLS_SERVER;
  throw new ValueError(purpose);
}

function loadLocations(context: SSLContext, locations: VerifyLocations, purpose: PurposeObject): void {
  const { cafile, capath, cadata } = locations;
  if (cafile || capath || cadata) context.load_verify_locations(cafile ?? null, capath ?? null, cadata ?? null);
  else if (context.verify_mode !== CERT_NONE) context.load_default_certs(purpose);
}

/** `SSLKEYLOGFILE`, as CPython reads it for every default context. */
function honourKeyLogEnvironment(context: SSLContext): void {
  const keylog = environment('SSLKEYLOGFILE');
  if (keylog) context.keylog_filename = keylog;
}

export function create_default_context(purpose: PurposeObject = Purpose.SERVER_AUTH, locations: VerifyLocations = {}): SSLContext {
  const context = new SSLContext(protocolFor(purpose));
  context.verify_flags |= VERIFY_X509_PARTIAL_CHAIN | VERIFY_X509_STRICT;
  loadLocations(context, locations, purpose);
  honourKeyLogEnvironment(context);
  return context;
}

/** CPython's context for `PYTHONHTTPSVERIFY=0`-style code: no verification unless asked for. */
export function _create_unverified_context(protocol: number | null = null, options: UnverifiedContextOptions = {}): SSLContext {
  const purpose = options.purpose ?? Purpose.SERVER_AUTH;
  const context = new SSLContext(protocol ?? protocolFor(purpose));
  const checkHostname = options.check_hostname ?? false;
  context.check_hostname = checkHostname;
  const certReqs = options.cert_reqs === undefined ? CERT_NONE : options.cert_reqs;
  if (certReqs !== null) context.verify_mode = certReqs;
  if (checkHostname) context.check_hostname = true;
  if (options.keyfile && !options.certfile) throw new ValueError('certfile must be specified');
  if (options.certfile || options.keyfile) context.load_cert_chain(options.certfile!, options.keyfile ?? null);
  loadLocations(context, options, purpose);
  honourKeyLogEnvironment(context);
  return context;
}
