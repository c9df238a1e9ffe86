/**
 * Every constant and enum of `src/api/constants.ts` against Python 3.11's
 * `ssl` module on this machine (one subprocess dumps them all), in both
 * directions: what we export has Python's value, and every public constant
 * Python has is here or, for a stated reason, elsewhere. The places where we
 * differ on purpose are listed with their reasons; a listed difference that
 * stops being one fails the test, so the lists only hold what is true.
 */
import { describe, expect, it } from 'vitest';
import * as constants from '../../src/api/constants.ts';
import { constantsOfPythonSsl } from './python-ssl.ts';

/** Names CPython added after 3.11: the oracle cannot have them, 3.13/3.14 define them with these values. */
const NEWER_THAN_311: Readonly<Record<string, string>> = {
  OP_LEGACY_SERVER_CONNECT: '3.12: OpenSSL 3 SSL_OP_LEGACY_SERVER_CONNECT (0x4), also an Options member',
  OP_ENABLE_KTLS: '3.12: OpenSSL 3 SSL_OP_ENABLE_KTLS (0x8), also an Options member; accepted and ignored (no kernel TLS)',
  HAS_PHA: '3.14: post-handshake client authentication; false until puretls has it',
  HAS_PSK: '3.13: external pre-shared keys (set_psk_*_callback); false, puretls has none',
  VERIFY_X509_WEBPKI: "puretls's own flag: the web-PKI rules on top of OpenSSL's strict checks (docs/x509.md)",
};

/** Same name, another value, on purpose: each HAS_* says what puretls does today. */
const DIFFERS_ON_PURPOSE: Readonly<Record<string, string>> = {
  HAS_TLSv1: 'no TLS 1.0: AEAD suites only (DESIGN §2.4)',
  HAS_TLSv1_1: 'no TLS 1.1: AEAD suites only (DESIGN §2.4)',
};

/** Public constants of Python's ssl module that another puretls module provides, or that are not the ssl module's own. */
const ELSEWHERE: Readonly<Record<string, string>> = {
  OPENSSL_VERSION: 'api/version.ts, describing puretls',
  OPENSSL_VERSION_NUMBER: 'api/version.ts, describing puretls',
  Purpose: 'api/x509.ts (its members are ASN.1 objects, not numbers)',
  SOCK_STREAM: "socket's, imported into ssl.py for its own use; puretls/socket exports it",
  SOL_SOCKET: "socket's, imported into ssl.py for its own use",
  SO_TYPE: "socket's, imported into ssl.py for its own use",
};

const python = constantsOfPythonSsl();
const ours = constants as unknown as Record<string, unknown>;

/** An exported value as JSON data (frozen enum objects become plain objects). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('constants and enums match Python 3.11', () => {
  it('every exported constant and enum has Python\'s value, but for the listed differences', () => {
    const mismatches: string[] = [];
    for (const [name, value] of Object.entries(ours)) {
      if (name in NEWER_THAN_311 || name in DIFFERS_ON_PURPOSE) continue;
      if (!(name in python)) {
        mismatches.push(`${name}: not in Python 3.11's ssl module`);
        continue;
      }
      const expected = python[name];
      const actual = isEnum(value) ? withoutNewerMembers(value) : plain(value);
      if (JSON.stringify(sortKeys(actual)) !== JSON.stringify(sortKeys(expected))) mismatches.push(`${name}: ours ${JSON.stringify(actual)}, Python ${JSON.stringify(expected)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('every public constant of Python\'s ssl module is exported here or accounted for', () => {
    const publicNames = Object.keys(python).filter((name) => !name.startsWith('_'));
    expect(publicNames.filter((name) => !(name in ours) && !(name in ELSEWHERE))).toEqual([]);
  });

  it('the listed exceptions are all still true', () => {
    expect(Object.keys(NEWER_THAN_311).filter((name) => name in python || !(name in ours))).toEqual([]);
    expect(Object.keys(DIFFERS_ON_PURPOSE).filter((name) => !(name in python) || python[name] === ours[name])).toEqual([]);
    expect(Object.keys(ELSEWHERE).filter((name) => !(name in python) || name in ours)).toEqual([]);
    // The newer option bits are Options members too, with OpenSSL 3's values.
    expect([constants.Options.OP_LEGACY_SERVER_CONNECT, constants.Options.OP_ENABLE_KTLS]).toEqual([0x4, 0x8]);
  });
});

function isEnum(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutNewerMembers(members: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(members).filter(([name]) => !(name in NEWER_THAN_311)));
}

function sortKeys(value: unknown): unknown {
  return isEnum(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value;
}
