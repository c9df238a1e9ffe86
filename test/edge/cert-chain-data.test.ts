/**
 * `SSLContext.load_cert_chain_data`, the puretls addition that edge workers
 * need (no files; the certificate and key are secrets): it must load exactly
 * what `load_cert_chain` loads from the same PEM, and refuse what it refuses
 * with the same error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certChainFromPem, loadCertChain } from '../../src/api/cert-chain.ts';
import * as ssl from '../../src/api/ssl.ts';
import { credential } from '../helpers/credentials.ts';

const leaf = credential('p256', 'edge-client');
const other = credential('p256', 'edge-other');
const certPem = readFileSync(leaf.certFile, 'utf8');
const keyPem = readFileSync(leaf.keyFile, 'utf8');

describe('load_cert_chain_data (PEM text instead of files)', () => {
  it('loads the same chain and key as load_cert_chain', () => {
    expect(certChainFromPem(certPem, keyPem)).toEqual(loadCertChain(leaf.certFile, leaf.keyFile));
  });

  it('finds the key in certdata when keydata is null, as load_cert_chain does with one file', () => {
    expect(certChainFromPem(certPem + keyPem)).toEqual(certChainFromPem(certPem, keyPem));
  });

  it('refuses a key that is not the certificate\'s with load_cert_chain\'s error', () => {
    const mismatch = /^\[X509: KEY_VALUES_MISMATCH\] key values mismatch/;
    expect(() => new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain(leaf.certFile, other.keyFile)).toThrow(mismatch);
    expect(() => new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain_data(certPem, readFileSync(other.keyFile, 'utf8'))).toThrow(mismatch);
  });

  it('refuses text without a certificate as the PEM library does', () => {
    expect(() => new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain_data(keyPem)).toThrow(/^\[SSL\] PEM lib/);
  });

  it('takes only text', () => {
    expect(() => certChainFromPem(new Uint8Array(3) as unknown as string)).toThrow(TypeError);
  });
});
