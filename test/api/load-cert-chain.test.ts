/**
 * `loadCertChain` against CPython 3.11's `SSLContext.load_cert_chain` on the
 * same files, generated here by `openssl`: every case either loads on both
 * sides or raises the same exception class, errno, library, reason and text
 * (less the `_ssl.c` line).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicKeyOf } from '../../src/crypto/keys.ts';
import { type PasswordArgument, loadCertChain } from '../../src/api/cert-chain.ts';
import { SSLError } from '../../src/api/exceptions.ts';
import { pemCertificates } from '../../src/x509/pem.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { type ErrorShape, attempt, runPython } from './python-oracle.ts';

const dir = mkdtempSync(join(tmpdir(), 'puretls-certchain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'pässwörd';
const path = (name: string) => join(dir, name);
const openssl = (args: readonly string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const write = (name: string, text: string) => (writeFileSync(path(name), text), name);
const read = (name: string) => readFileSync(path(name), 'utf8');
const pass = ['-passout', `pass:${PASSWORD}`];

function key(name: string, algorithm: string, ...opts: string[]): string {
  openssl(['genpkey', '-algorithm', algorithm, ...opts.flatMap((o) => ['-pkeyopt', o]), '-out', `${name}.key`]);
  return `${name}.key`;
}
function cert(name: string, keyFile: string): string {
  openssl(['req', '-x509', '-key', keyFile, '-subj', `/CN=${name}`, '-days', '30', '-out', `${name}.crt`]);
  return `${name}.crt`;
}

const rsa = key('rsa', 'RSA', 'rsa_keygen_bits:2048');
const rsa2 = key('rsa2', 'RSA', 'rsa_keygen_bits:2048');
const ec = key('ec', 'EC', 'ec_paramgen_curve:P-256');
const ec2 = key('ec2', 'EC', 'ec_paramgen_curve:P-256');
const ec384 = key('ec384', 'EC', 'ec_paramgen_curve:P-384');
const ed = key('ed', 'ED25519');
const ed2 = key('ed2', 'ED25519');
const x25519 = key('x25519', 'X25519');
const rsaCrt = cert('rsa', rsa);
const ecCrt = cert('ec', ec);
const edCrt = cert('ed', ed);
const encrypted = (name: string, args: readonly string[]) => (openssl([...args, ...pass, '-out', name]), name);
const files = {
  pkcs8: encrypted('rsa-pkcs8.key', ['pkcs8', '-topk8', '-in', rsa, '-v2', 'aes-128-cbc']),
  scrypt: encrypted('ec-scrypt.key', ['pkcs8', '-topk8', '-in', ec, '-scrypt']),
  tradRsa: encrypted('rsa-trad.key', ['rsa', '-in', rsa, '-traditional', '-aes256']),
  tradEc: encrypted('ec-trad.key', ['ec', '-in', ec, '-aes192']),
  ed: encrypted('ed-pkcs8.key', ['pkcs8', '-topk8', '-in', ed, '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA512']),
  des3: encrypted('rsa-des3.key', ['rsa', '-in', rsa, '-traditional', '-des3']),
  pbes2des3: encrypted('rsa-pbes2-des3.key', ['pkcs8', '-topk8', '-in', rsa, '-v2', 'des3']),
  pbes1: encrypted('rsa-pbes1.key', ['pkcs8', '-topk8', '-in', rsa, '-v1', 'PBE-SHA1-3DES']),
};
const both = write('rsa-both.pem', read(rsaCrt) + read(rsa));
const bothEncrypted = write('ec-both-enc.pem', read(ecCrt) + read(files.tradEc));
const chain = write('chain.pem', read(rsaCrt) + read(ecCrt));
const brokenChain = write('broken-chain.pem', read(rsaCrt) + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
const keyFirst = write('key-first.pem', read(rsa2) + read(rsaCrt));
const junk = write('junk.txt', 'hello\n');
const empty = write('empty.pem', '');
mkdirSync(path('a-directory'));

type PasswordSpec =
  | { readonly kind: 'none' | 'int' | 'cbint' | 'cbnone' | 'cbraise' }
  | { readonly kind: 'str' | 'bytes' | 'cb' | 'cbbytes'; readonly value: string };
type FileSpec = string | null | { readonly int: number };

interface Case {
  readonly name: string;
  readonly cert: FileSpec;
  readonly key: FileSpec;
  readonly password: PasswordSpec;
}

const none = { kind: 'none' } as const;
const str = (value: string) => ({ kind: 'str', value }) as const;
const good = str(PASSWORD);

const CASES: readonly Case[] = [
  // Files: missing, not a file, without a certificate or key.
  { name: 'missing certfile', cert: 'nope.pem', key: null, password: none },
  { name: 'missing keyfile', cert: rsaCrt, key: 'nope.key', password: none },
  { name: 'empty certfile name', cert: '', key: null, password: none },
  { name: 'a directory', cert: 'a-directory', key: null, password: none },
  { name: 'no certificate in certfile', cert: rsa, key: null, password: none },
  { name: 'empty certfile', cert: empty, key: null, password: none },
  { name: 'junk certfile', cert: junk, key: null, password: none },
  { name: 'no key in certfile', cert: rsaCrt, key: null, password: none },
  { name: 'junk keyfile', cert: rsaCrt, key: junk, password: none },
  { name: 'a certificate as keyfile', cert: rsaCrt, key: rsaCrt, password: none },
  { name: 'broken second certificate', cert: brokenChain, key: rsa, password: none },
  // Loads.
  { name: 'key in certfile', cert: both, key: null, password: none },
  { name: 'rsa', cert: rsaCrt, key: rsa, password: none },
  { name: 'ec', cert: ecCrt, key: ec, password: none },
  { name: 'ed25519', cert: edCrt, key: ed, password: none },
  { name: 'chain', cert: chain, key: rsa, password: none },
  { name: 'unencrypted key, password never asked', cert: rsaCrt, key: rsa, password: { kind: 'cbraise' } },
  { name: 'unencrypted key, long password never asked', cert: rsaCrt, key: rsa, password: str('x'.repeat(2000)) },
  // Key and certificate that do not belong together.
  { name: 'rsa cert, other rsa key', cert: rsaCrt, key: rsa2, password: none },
  { name: 'ec cert, other ec key', cert: ecCrt, key: ec2, password: none },
  { name: 'P-256 cert, P-384 key', cert: ecCrt, key: ec384, password: none },
  { name: 'ed25519 cert, other ed25519 key', cert: edCrt, key: ed2, password: none },
  { name: 'rsa cert, ec key', cert: rsaCrt, key: ec, password: none },
  { name: 'ed25519 cert, rsa key', cert: edCrt, key: rsa, password: none },
  { name: 'chain, key of the second certificate', cert: chain, key: ec, password: none },
  { name: 'the first key of the file is not the leaf’s', cert: rsaCrt, key: keyFirst, password: none },
  { name: 'x25519 key', cert: rsaCrt, key: x25519, password: none },
  // Passwords.
  ...Object.entries({ pkcs8: [rsaCrt, files.pkcs8], scrypt: [ecCrt, files.scrypt], tradRsa: [rsaCrt, files.tradRsa], tradEc: [ecCrt, files.tradEc], ed: [edCrt, files.ed] }).flatMap(
    ([name, [c, k]]): Case[] => [
      { name: `${name}: password str`, cert: c!, key: k!, password: good },
      { name: `${name}: password bytes`, cert: c!, key: k!, password: { kind: 'bytes', value: PASSWORD } },
      { name: `${name}: callback`, cert: c!, key: k!, password: { kind: 'cb', value: PASSWORD } },
      { name: `${name}: callback bytes`, cert: c!, key: k!, password: { kind: 'cbbytes', value: PASSWORD } },
      { name: `${name}: wrong password`, cert: c!, key: k!, password: str('passwörd') },
      { name: `${name}: empty password`, cert: c!, key: k!, password: str('') },
      { name: `${name}: no password`, cert: c!, key: k!, password: none },
    ],
  ),
  { name: 'encrypted key in certfile', cert: bothEncrypted, key: null, password: good },
  { name: 'encrypted key in certfile, wrong password', cert: bothEncrypted, key: null, password: str('nope') },
  { name: 'callback raises', cert: rsaCrt, key: files.pkcs8, password: { kind: 'cbraise' } },
  { name: 'callback returns an int', cert: rsaCrt, key: files.pkcs8, password: { kind: 'cbint' } },
  { name: 'callback returns None', cert: rsaCrt, key: files.tradRsa, password: { kind: 'cbnone' } },
  { name: 'password an int', cert: rsaCrt, key: files.pkcs8, password: { kind: 'int' } },
  { name: 'password an int, unencrypted key', cert: rsaCrt, key: rsa, password: { kind: 'int' } },
  { name: '1024-byte password (wrong)', cert: rsaCrt, key: files.pkcs8, password: str('x'.repeat(1024)) },
  { name: '1025-byte password', cert: rsaCrt, key: files.pkcs8, password: str('x'.repeat(1025)) },
  { name: '513 two-byte characters', cert: rsaCrt, key: files.tradEc, password: str('é'.repeat(513)) },
  { name: 'callback gives 1025 bytes', cert: rsaCrt, key: files.pkcs8, password: { kind: 'cb', value: 'x'.repeat(1025) } },
  // Argument types.
  { name: 'certfile an int', cert: { int: 3 }, key: null, password: none },
  { name: 'certfile None', cert: null, key: null, password: none },
  { name: 'keyfile an int', cert: rsaCrt, key: { int: 3 }, password: none },
];

/** Python's KeyError as the test callback raises it; `str()` of a KeyError is the repr of its argument. */
class KeyError extends Error {
  constructor(message: string) {
    super(`'${message}'`);
    this.name = 'KeyError';
  }
}

function jsFile(spec: FileSpec): string {
  if (spec === null) return null as unknown as string;
  return (typeof spec === 'string' ? (spec === '' ? '' : path(spec)) : spec.int) as string;
}

function jsPassword(spec: PasswordSpec): PasswordArgument {
  const encode = (s: string) => new TextEncoder().encode(s);
  switch (spec.kind) {
    case 'none':
      return null;
    case 'str':
      return spec.value;
    case 'bytes':
      return encode(spec.value);
    case 'cb':
      return () => spec.value;
    case 'cbbytes':
      return () => encode(spec.value);
    case 'int':
      return 3 as unknown as string;
    case 'cbint':
      return () => 3 as unknown as string;
    case 'cbnone':
      return () => null as unknown as string;
    case 'cbraise':
      return () => {
        throw new KeyError('from the callback');
      };
  }
}

type Outcome = { error: ErrorShape } | { ok: true };

/** Every case through CPython, in one process that has left the terminal (so OpenSSL cannot prompt). */
function pythonOutcomes(cases: readonly Case[]): Outcome[] {
  const script = `
import os
try: os.setsid()
except OSError: pass
def file(spec):
    if isinstance(spec, dict): return spec['int']
    return spec
def password(spec):
    k, v = spec['kind'], spec.get('value')
    def raise_():
        raise KeyError('from the callback')
    return {'none': None, 'str': v, 'bytes': (v or '').encode(), 'int': 3, 'cb': lambda: v, 'cbbytes': lambda: (v or '').encode(),
            'cbint': lambda: 3, 'cbnone': lambda: None, 'cbraise': raise_}[k]
def run(case):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.load_cert_chain(file(case['cert']), file(case['key']), password(case['password']))
        return {'ok': True}
    except Exception as e:
        return {'error': describe(e)}
print(json.dumps([run(c) for c in json.loads(${JSON.stringify(JSON.stringify(cases))})]))
`;
  return runPython<Outcome[]>(script, dir);
}

describe('load_cert_chain raises what CPython 3.11 raises for the same files', () => {
  const python = pythonOutcomes(CASES);

  for (const [i, c] of CASES.entries()) {
    it(c.name, () => {
      const ours = attempt(() => loadCertChain(jsFile(c.cert), jsFile(c.key), jsPassword(c.password)));
      expect(ours).toEqual(python[i]);
    });
  }

  it('the chain is every certificate of certfile, leaf first, and the key is the leaf’s', () => {
    const loaded = loadCertChain(path(chain), path(files.pkcs8), PASSWORD);
    expect(loaded.chain).toEqual(pemCertificates(read(chain)));
    expect(publicKeyOf(loaded.key)).toEqual(parseCertificate(loaded.chain[0]!).publicKey);
  });

  it('the exception the callback raises is the one that comes out', () => {
    const mine = new KeyError('mine');
    expect(() => loadCertChain(path(rsaCrt), path(files.scrypt), () => { throw mine; })).toThrow(mine);
  });
});

describe('DES-EDE3 and PBES1 keys: CPython loads them, puretls refuses by name with the conversion command', () => {
  const cases = [
    ['traditional -des3', files.des3, 'DES-EDE3-CBC'],
    ['PBES2 -v2 des3', files.pbes2des3, 'DES-EDE3-CBC'],
    ['PBES1 -v1 PBE-SHA1-3DES', files.pbes1, 'PBE-SHA1-3DES'],
  ] as const;
  const python = pythonOutcomes(cases.map(([name, file]) => ({ name, cert: rsaCrt, key: file, password: good })));

  for (const [i, [name, file, cipher]] of cases.entries()) {
    it(name, () => {
      expect(python[i]).toEqual({ ok: true });
      let caught: unknown;
      try {
        loadCertChain(path(rsaCrt), path(file), () => {
          throw new Error('the password was asked for');
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SSLError);
      const e = caught as SSLError;
      expect([e.errno, e.library, e.reason]).toEqual([114, 'PEM', 'UNSUPPORTED_ENCRYPTION']);
      expect(e.message).toContain(`puretls cannot decrypt ${cipher} keys`);
      expect(e.message).toContain(`\`openssl pkcs8 -topk8 -v2 aes-256-cbc -in ${path(file)} -out new.pem\``);
      // The command does convert it, and the result loads.
      openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', file, '-passin', `pass:${PASSWORD}`, ...pass, '-out', `${file}.aes`]);
      expect(loadCertChain(path(rsaCrt), path(`${file}.aes`), PASSWORD).key.type).toBe('rsa');
    });
  }
});
