/**
 * x509-limbo (C2SP) through the public `puretls/x509` entry point: every
 * testcase of `vectors/x509-limbo/limbo.json.gz` (vendored; SOURCE.md there), with its trust
 * anchors, intermediates, validation time, kind, peer name, usages, CRLs and
 * maximum depth. A result that differs from the expected one must be listed,
 * with a reason, in `limbo-expected-failures.json`; an unlisted difference, or
 * a listed case that now passes (the list only shrinks), fails the test. The
 * summary (and the slowest case) is printed, never asserted on time.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Purpose, VERIFY_CRL_CHECK_LEAF, VERIFY_X509_PARTIAL_CHAIN, VERIFY_X509_STRICT, VERIFY_X509_WEBPKI, verify_chain } from '../../src/api/x509.ts';
import { SSLCertVerificationError, SSLError } from '../../src/api/exceptions.ts';
import type { KeyUsageName } from '../../src/x509/extensions.ts';

interface PeerName {
  readonly kind: 'DNS' | 'IP' | 'RFC822';
  readonly value: string;
}

interface Testcase {
  readonly id: string;
  readonly features: readonly string[];
  readonly validation_kind: 'SERVER' | 'CLIENT';
  readonly trusted_certs: readonly string[];
  readonly untrusted_intermediates: readonly string[];
  readonly peer_certificate: string;
  readonly validation_time: string | null;
  readonly signature_algorithms: readonly string[];
  readonly key_usage: readonly string[];
  readonly extended_key_usage: readonly string[];
  readonly expected_result: 'SUCCESS' | 'FAILURE';
  readonly expected_peer_name: PeerName | null;
  readonly max_chain_depth: number | null;
  readonly crls: readonly string[];
}

interface ExpectedFailure {
  readonly outcome: 'false-accept' | 'false-reject';
  /**
   * Where the difference comes from: `webpki`, a VERIFY_X509_WEBPKI rule (a
   * false reject that disappears without the flag) or a web-PKI rule we lack
   * (a false accept); `openssl`, behaviour every puretls profile shares with
   * OpenSSL (the same outcome without VERIFY_X509_WEBPKI). The test checks it.
   */
  readonly profile: 'webpki' | 'openssl';
  readonly reason: string;
}

const LIMBO = new URL('../../vectors/x509-limbo/limbo.json.gz', import.meta.url);
const SOURCE = new URL('../../vectors/x509-limbo/SOURCE.md', import.meta.url);
const EXPECTED = new URL('./limbo-expected-failures.json', import.meta.url);

/**
 * The suite is written for a web-PKI verifier: every case runs with Python
 * 3.13's `create_default_context()` flags (VERIFY_X509_STRICT and
 * VERIFY_X509_PARTIAL_CHAIN, so a trusted intermediate is an anchor) plus
 * puretls's VERIFY_X509_WEBPKI, with `hostname_checks_common_name` off as
 * browsers have it.
 */
const FLAGS = VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN | VERIFY_X509_WEBPKI;

type Outcome = 'correct' | 'false-accept' | 'false-reject';

/** The only extended key usages limbo asks for are the purpose's own, which `purpose` already requires. */
function checkUsageRequest(tc: Testcase): void {
  const expected = tc.validation_kind === 'SERVER' ? 'serverAuth' : 'clientAuth';
  if (tc.extended_key_usage.some((eku) => eku !== expected)) throw new Error(`${tc.id}: unexpected EKU request ${tc.extended_key_usage}`);
}

function run(tc: Testcase, flags = FLAGS): { outcome: Outcome; detail: string } {
  checkUsageRequest(tc);
  const peer = tc.expected_peer_name;
  let detail = 'accepted';
  let accepted: boolean;
  try {
    verify_chain(tc.peer_certificate, {
      trusted: tc.trusted_certs,
      intermediates: tc.untrusted_intermediates,
      purpose: tc.validation_kind === 'SERVER' ? Purpose.SERVER_AUTH : Purpose.CLIENT_AUTH,
      hostname: peer?.kind === 'DNS' ? peer.value : null,
      ip: peer?.kind === 'IP' ? peer.value : null,
      time: tc.validation_time === null ? null : Date.parse(tc.validation_time) / 1000,
      crls: tc.crls,
      flags: flags | (tc.crls.length > 0 ? VERIFY_CRL_CHECK_LEAF : 0),
      max_depth: tc.max_chain_depth,
      hostname_checks_common_name: false,
      key_usage: tc.key_usage as KeyUsageName[],
    });
    accepted = true;
  } catch (error) {
    if (!(error instanceof SSLError)) throw error;
    accepted = false;
    detail = error instanceof SSLCertVerificationError ? `${error.verify_code}: ${error.verify_message}` : error.message;
  }
  const expected = tc.expected_result === 'SUCCESS';
  const outcome: Outcome = accepted === expected ? 'correct' : accepted ? 'false-accept' : 'false-reject';
  return { outcome, detail };
}

describe('x509-limbo', () => {
  it('gives the expected result for every testcase, or a listed and explained one', () => {
    const json = gunzipSync(readFileSync(LIMBO));
    // The vendored copy is the one SOURCE.md describes.
    const recorded = /sha256\(limbo\.json\) = ([0-9a-f]{64})/.exec(readFileSync(SOURCE, 'utf8'))?.[1];
    expect(createHash('sha256').update(json).digest('hex')).toBe(recorded);
    const limbo = JSON.parse(json.toString('utf8')) as { testcases: Testcase[] };
    const listed = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, ExpectedFailure>;
    const counts = { total: 0, correct: 0, 'false-accept': 0, 'false-reject': 0, skipped: 0 };
    const unexpected: string[] = [];
    let slowest = { id: '', ms: 0 };
    for (const tc of limbo.testcases) {
      counts.total++;
      const start = performance.now();
      const { outcome, detail } = run(tc);
      const ms = performance.now() - start;
      if (ms > slowest.ms) slowest = { id: tc.id, ms };
      counts[outcome]++;
      const entry = listed[tc.id];
      if (outcome === 'correct' && entry) unexpected.push(`${tc.id}: listed as ${entry.outcome} but now correct`);
      if (outcome !== 'correct' && entry?.outcome !== outcome) unexpected.push(`${tc.id}: ${outcome} (${detail})`);
      if (entry && entry.outcome === outcome) {
        const without = run(tc, FLAGS & ~VERIFY_X509_WEBPKI).outcome;
        const expected = entry.profile === 'openssl' ? outcome : entry.outcome === 'false-reject' ? 'correct' : 'false-accept';
        if (without !== expected) unexpected.push(`${tc.id}: listed under profile ${entry.profile}, but without VERIFY_X509_WEBPKI: ${without}`);
      }
    }
    for (const id of Object.keys(listed)) {
      if (!limbo.testcases.some((tc) => tc.id === id)) unexpected.push(`${id}: listed but not in limbo.json`);
    }
    console.log(
      `x509-limbo: total ${counts.total}, correct ${counts.correct}, false accepts ${counts['false-accept']}, ` +
        `false rejects ${counts['false-reject']}, skipped ${counts.skipped}; slowest ${slowest.id} ${slowest.ms.toFixed(1)} ms`,
    );
    expect(unexpected).toEqual([]);
  }, 300_000);
});
