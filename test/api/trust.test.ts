/**
 * `load_verify_locations`, `get_ca_certs` and `cert_store_stats` against
 * Python 3.11 on OpenSSL 3.0: the same sequence of loads on a fresh
 * `SSLContext` and on a fresh `TrustStore`, then the outcome of each load
 * (returned, or the exception's class, errno, library, reason and text) and
 * the store's statistics and CA listing (dicts and DER, in order) compared.
 * The files are made with `openssl` in a temporary folder; the hashed
 * directories are named by `openssl x509 -hash` and `openssl rehash`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certStoreStats, getCaCerts, loadVerifyLocations } from '../../src/api/trust.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { pemCertificates } from '../../src/x509/pem.ts';
import { TrustStore } from '../../src/x509/trust-store.ts';
import { type ErrorShape, describeError, runPython } from './python-oracle.ts';

/** A path, text, a number (a wrong type), or bytes. */
type Arg = string | number | { readonly hex: string };
type Op =
  | { readonly op: 'load'; readonly cafile?: Arg; readonly capath?: Arg; readonly cadata?: Arg }
  /** A handshake with `leaf.pem` as the server: verification looks the issuer up (capath). */
  | { readonly op: 'lookup' };

interface Outcome {
  readonly results: readonly ({ ok: true } | { error: ErrorShape })[];
  readonly stats: unknown;
  readonly cas: unknown;
  readonly der: readonly string[];
}

const ORACLE = String.raw`
import os
cases = json.loads(sys.stdin.read())
def arg(v):
    return bytes.fromhex(v['hex']) if isinstance(v, dict) else v
def run(f):
    try:
        f()
        return {'ok': True}
    except Exception as e:
        return {'error': describe(e)}
def lookup(ctx):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain('leaf.pem', 'leaf.key')
    ctx.check_hostname = False
    ci, co, si, so = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    c, s = ctx.wrap_bio(ci, co), server.wrap_bio(si, so, server_side=True)
    for _ in range(6):
        for end in (c, s):
            try: end.do_handshake()
            except ssl.SSLError: pass
        si.write(co.read()); ci.write(so.read())
out = []
for ops in cases:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    results = []
    for op in ops:
        if op['op'] == 'load':
            results.append(run(lambda: ctx.load_verify_locations(arg(op.get('cafile')), arg(op.get('capath')), arg(op.get('cadata')))))
        else:
            lookup(ctx)
    out.append({'results': results, 'stats': ctx.cert_store_stats(), 'cas': ctx.get_ca_certs(), 'der': [d.hex() for d in ctx.get_ca_certs(True)]})
print(json.dumps(out))
`;

let dir = '';
const pem: Record<string, string> = {};
const der: Record<string, Uint8Array> = {};
const hex = (bytes: Uint8Array): { hex: string } => ({ hex: toHex(bytes) });

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function selfSigned(name: string, subject: string): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subject, '-days', '30');
}

function file(name: string, text: string | Uint8Array): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** Python runs every case in `dir` in one process. */
function oracle(cases: readonly (readonly Op[])[]): Outcome[] {
  return runPython<Outcome[]>(ORACLE.replace('sys.stdin.read()', JSON.stringify(JSON.stringify(cases))), dir);
}

function argument(value: Arg | undefined): unknown {
  if (value === undefined) return null;
  if (typeof value === 'object') return fromHex(value.hex);
  // Relative paths, as Python (running in dir) sees them.
  return value;
}

function ours(ops: readonly Op[]): Outcome {
  const store = new TrustStore(nobleProvider);
  const results: Outcome['results'][number][] = [];
  const inDir = (v: Arg | undefined): unknown => (typeof v === 'string' && v !== '' && !v.startsWith('/') ? join(dir, v) : argument(v));
  for (const op of ops) {
    if (op.op === 'lookup') {
      store.bySubject(parseCertificate(der.leaf!).issuer);
      continue;
    }
    try {
      // Untyped on purpose: the wrong-type cases are what CPython checks at run time.
      (loadVerifyLocations as (...args: unknown[]) => void)(store, inDir(op.cafile), inDir(op.capath), argument(op.cadata));
      results.push({ ok: true });
    } catch (error) {
      results.push({ error: describeError(error) });
    }
  }
  const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  return { results, stats: certStoreStats(store), cas: json(getCaCerts(store)), der: getCaCerts(store, true).map(toHex) };
}

function compare(cases: Record<string, readonly Op[]>): void {
  const names = Object.keys(cases);
  const expected = oracle(names.map((n) => cases[n]!));
  names.forEach((name, i) => {
    expect({ name, ...ours(cases[name]!) }).toEqual({ name, ...expected[i]! });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'puretls-trust-'));
  selfSigned('ca', '/CN=Test CA/O=Puretls');
  selfSigned('ca2', '/CN=Second CA');
  for (const [name, subject] of [['z', 'Zeta Long Name CA Number One'], ['b', 'B'], ['m', 'Middle CA'], ['a', 'A'], ['aaa', 'Alpha Alpha Alpha']]) {
    selfSigned(`o_${name!}`, `/CN=${subject!}`);
  }
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=leaf.example');
  file('leaf.ext', 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:leaf.example\n');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext');
  file('index.txt', '');
  file('crl.cnf', '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ndefault_md=sha256\ndefault_crl_days=30\n');
  openssl('ca', '-config', 'crl.cnf', '-gencrl', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'ca.crl.pem');
  openssl('x509', '-in', 'ca.pem', '-trustout', '-addtrust', 'serverAuth', '-out', 'trusted.pem');
  for (const name of ['ca', 'ca2', 'leaf', 'ca.crl', 'trusted', 'ca.key', 'o_z', 'o_b', 'o_m', 'o_a', 'o_aaa']) {
    pem[name] = readFileSync(join(dir, `${name}.pem`.replace('.key.pem', '.key')), 'utf8');
    const certificate = pemCertificates(pem[name]!)[0];
    if (certificate !== undefined) der[name] = certificate;
  }
  // A directory as `openssl rehash` makes it, and hand-made ones for the scan's stopping rules.
  mkdirSync(join(dir, 'hashed'));
  for (const name of ['ca', 'ca2', 'leaf', 'ca.crl']) file(`hashed/${name}.pem`, pem[name]!);
  openssl('rehash', 'hashed');
  const caHash = openssl('x509', '-hash', '-noout', '-in', 'ca.pem').trim();
  mkdirSync(join(dir, 'broken0'));
  file(`broken0/${caHash}.0`, 'not a certificate\n');
  file(`broken0/${caHash}.1`, pem.ca!);
  mkdirSync(join(dir, 'bundled'));
  file(`bundled/${caHash}.0`, pem.ca2! + pem.trusted!);
  mkdirSync(join(dir, 'empty'));
}, 60_000);

describe('load_verify_locations arguments', () => {
  it('raises TypeError, ValueError, OSError and SSLError as CPython for bad arguments', () => {
    compare({
      none: [{ op: 'load' }],
      cafileNumber: [{ op: 'load', cafile: 5 }],
      capathNumber: [{ op: 'load', capath: 5 }],
      cadataNumber: [{ op: 'load', cadata: 5 }],
      cadataNonAscii: [{ op: 'load', cadata: 'é' }],
      cadataEmptyText: [{ op: 'load', cadata: '' }],
      cadataEmptyBytes: [{ op: 'load', cadata: { hex: '' } }],
      missingCafile: [{ op: 'load', cafile: 'nope.pem' }],
      emptyCafile: [{ op: 'load', cafile: '' }],
      emptyCapath: [{ op: 'load', capath: '' }],
      colonCapath: [{ op: 'load', capath: ':' }],
      missingCapath: [{ op: 'load', capath: 'no-such-dir' }],
      fileAsCapath: [{ op: 'load', capath: 'ca.pem' }],
      // cadata is loaded before cafile fails: it stays.
      cadataThenMissingCafile: [{ op: 'load', cadata: pem.ca!, cafile: 'nope.pem' }],
    });
  });

  it('raises OSError with errno 21 for a directory as cafile (CPython: its subclass IsADirectoryError)', () => {
    const [expected] = oracle([[{ op: 'load', cafile: 'hashed' }]]);
    const actual = ours([{ op: 'load', cafile: 'hashed' }]);
    expect(expected!.results[0]).toMatchObject({ error: { type: 'IsADirectoryError', errno: 21 } });
    expect(actual.results[0]).toEqual({ error: { ...(expected!.results[0] as { error: ErrorShape }).error, type: 'OSError' } });
  });
});

/** PEM texts that exercise OpenSSL's reader: damaged blocks after a good one, other labels, layout. */
function pemVariants(): Record<string, string> {
  const ca = pem.ca!;
  const ca2 = pem.ca2!;
  const lines = ca.split('\n');
  const line = lines[3]!;
  return {
    ca,
    leaf: pem.leaf!,
    crl: pem['ca.crl']!,
    key: pem['ca.key']!,
    garbage: 'hello world\n',
    badBase64: ca2 + ca.replace(line, line.slice(0, 10) + '!' + line.slice(11)),
    badDer: ca2 + ca.replace(line, 'A'.repeat(line.length)),
    noEnd: ca2 + ca.replace('-----END CERTIFICATE-----', ''),
    mismatchedEnd: ca2 + ca.replace('END CERTIFICATE', 'END X509 CRL'),
    emptyBlockBetween: ca2 + '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' + ca,
    tinyBlock: ca2 + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' + ca,
    unknownLabelBadBase64: ca2 + '-----BEGIN FOO-----\n!!!!\n-----END FOO-----\n',
    textAround: 'before\n' + ca + 'after\n',
    oldLabel: ca.replaceAll('CERTIFICATE', 'X509 CERTIFICATE'),
    trusted: pem.trusted!,
    crlf: ca.replaceAll('\n', '\r\n'),
    indented: ca.replace(/\n([A-Za-z0-9+/])/g, '\n  $1'),
    noFinalNewline: ca.trimEnd(),
    duplicate: ca + ca,
    crlAndCa: pem['ca.crl']! + ca,
    leafAndKey: pem.leaf! + pem['ca.key']!,
  };
}

describe('cafile', () => {
  it('loads PEM bundles all or nothing, with OpenSSL errors as CPython reports them', () => {
    const cases: Record<string, Op[]> = {};
    for (const [name, text] of Object.entries(pemVariants())) cases[name] = [{ op: 'load', cafile: file(`variant-${name}.pem`, text) }];
    cases.der = [{ op: 'load', cafile: file('ca.der', der.ca!) }];
    cases.emptyFile = [{ op: 'load', cafile: file('empty.pem', '') }];
    compare(cases);
  });
});

describe('cadata', () => {
  it('loads PEM text block by block, keeping what came before a failure', () => {
    const cases: Record<string, Op[]> = {};
    for (const [name, text] of Object.entries(pemVariants())) cases[name] = [{ op: 'load', cadata: text }];
    compare(cases);
  });

  it('loads concatenated DER until OpenSSL would stop', () => {
    const ca = der.ca!;
    const ca2 = der.ca2!;
    const bytes = (...parts: (Uint8Array | number[] | string)[]) =>
      hex(concatBytes(...parts.map((p) => (typeof p === 'string' ? utf8(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)))));
    const broken = concatBytes(ca.subarray(0, 10), new Uint8Array(ca.length - 10));
    const cases: Record<string, Op[]> = {
      one: [{ op: 'load', cadata: bytes(ca) }],
      two: [{ op: 'load', cadata: bytes(ca, ca2) }],
      repeated: [{ op: 'load', cadata: bytes(ca, ca2, ca) }],
      garbageOnly: [{ op: 'load', cadata: bytes('hello') }],
      emptySequenceOnly: [{ op: 'load', cadata: bytes([0x30, 0x00]) }],
      truncatedOnly: [{ op: 'load', cadata: bytes(ca.subarray(0, ca.length - 1)) }],
      thenTruncated: [{ op: 'load', cadata: bytes(ca, ca2.subarray(0, ca2.length - 1)) }],
      thenText: [{ op: 'load', cadata: bytes(ca, 'garbage') }],
      thenZero: [{ op: 'load', cadata: bytes(ca, [0]) }],
      thenZeros: [{ op: 'load', cadata: bytes(ca, new Array<number>(10).fill(0)) }],
      thenTagOnly: [{ op: 'load', cadata: bytes(ca, [0x30]) }],
      thenHighTag: [{ op: 'load', cadata: bytes(ca, [0x1f]) }],
      thenEmptySequence: [{ op: 'load', cadata: bytes(ca, [0x30, 0x00]) }],
      thenShortPromise: [{ op: 'load', cadata: bytes(ca, [0x30, 0x05]) }],
      thenLongFormNoContent: [{ op: 'load', cadata: bytes(ca, [0x30, 0x81, 0x05]) }],
      thenEightLengthOctets: [{ op: 'load', cadata: bytes(ca, [0x30, 0x88, 0, 0, 0, 0, 0, 0, 0, 0]) }],
      thenIndefiniteEmpty: [{ op: 'load', cadata: bytes(ca, [0x30, 0x80, 0, 0]) }],
      thenIndefinitePrimitive: [{ op: 'load', cadata: bytes(ca, [0x04, 0x80, 0, 0]) }],
      thenOctetString: [{ op: 'load', cadata: bytes(ca, [0x04, 0x02, 0x61, 0x62]) }],
      thenBroken: [{ op: 'load', cadata: bytes(ca, broken, ca2) }],
      pemAsBytes: [{ op: 'load', cadata: bytes(pem.ca!) }],
    };
    compare(cases);
  });
});

describe('the store', () => {
  it('lists CA certificates in OpenSSL X509_STORE order: sorted by subject but for the last one added', () => {
    const ordered = ['o_z', 'o_b', 'o_m', 'o_a', 'o_aaa'];
    const bundle = file('bundle5.pem', ordered.map((n) => pem[n]!).join(''));
    compare({
      oneByOne: ordered.map((n) => ({ op: 'load', cafile: `${n}.pem` })),
      bundle: [{ op: 'load', cafile: bundle }],
      bundleTwice: [{ op: 'load', cafile: bundle }, { op: 'load', cafile: bundle }],
      thenCrl: [{ op: 'load', cafile: bundle }, { op: 'load', cafile: 'ca.crl.pem' }],
      withLeaf: [{ op: 'load', cafile: bundle }, { op: 'load', cafile: 'leaf.pem' }, { op: 'load', cadata: pem.ca2! }],
    });
  });

  it('reads a capath directory only when a lookup asks for a subject', () => {
    compare({
      rehashed: [{ op: 'load', capath: 'hashed' }],
      rehashedLookedUp: [{ op: 'load', capath: 'hashed' }, { op: 'lookup' }],
      listed: [{ op: 'load', capath: `empty:${join(dir, 'hashed')}` }, { op: 'lookup' }],
      // A <hash>.0 that does not load ends the scan: <hash>.1 is never read.
      brokenFirstFile: [{ op: 'load', capath: 'broken0' }, { op: 'lookup' }],
      // Every certificate of a hashed file is loaded, TRUSTED CERTIFICATE blocks too.
      bundledFile: [{ op: 'load', capath: 'bundled' }, { op: 'lookup' }],
      afterCafile: [{ op: 'load', cafile: 'o_z.pem', capath: 'hashed' }, { op: 'lookup' }],
    });
  });
});
