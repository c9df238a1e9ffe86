/**
 * RSA private-key benchmark (`node bench/rsa.ts`): milliseconds per RSA-PSS
 * SHA-256 signature with our BigInt RSA (`src/crypto/rsa.ts`: CRT, message and
 * exponent blinding, fixed-window exponentiation, the public-key check of the
 * result) beside OpenSSL signing with the same key through `node:crypto`,
 * measured in alternating calls so that machine noise falls on both alike.
 * The ratio to OpenSSL is what to compare across versions and machines: run
 * this file on two checkouts and divide their ratios.
 */
import { constants, sign as opensslSign } from 'node:crypto';
import { nobleProvider as P } from '../src/crypto/noble.ts';
import type { SignatureAlgorithm } from '../src/crypto/provider.ts';
import { nodeRsaKey } from '../test/crypto/helpers.ts';
import { compare } from './alternating.ts';

const PSS: SignatureAlgorithm = { type: 'rsa-pss', hash: 'sha256', saltLength: 32 };



function signRow(bits: number, calls: number): string {
  const key = nodeRsaKey(bits);
  const message = P.randomBytes(130);
  const ours = () => P.sign(PSS, key.privateKey, message);
  const openssl = () => opensslSign('sha256', message, { key: key.nodePrivate, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  if (!P.verify(PSS, key.publicKey, message, ours())) throw new Error('our signature does not verify');
  ours();
  openssl();
  const t = compare(calls, ours, openssl);
  return `| RSA-${bits} | ${t.measured.toFixed(2)} | ${t.reference.toFixed(3)} | ${t.ratio.toFixed(1)}× |`;
}

const quick = process.argv.includes('--quick');
console.log(`# puretls RSA benchmark (${quick ? 'quick' : 'full'}), ${navigator.userAgent ?? 'runtime'}\n`);
console.log('RSA-PSS SHA-256 signatures, ours vs OpenSSL (node:crypto) with the same key\n');
console.log('| key | ours, ms/sign | OpenSSL, ms/sign | ours / OpenSSL |');
console.log('|---|---|---|---|');
for (const [bits, calls] of [[2048, 20], [3072, 8], [4096, 4]] as const) console.log(signRow(bits, quick ? Math.ceil(calls / 4) : calls));
