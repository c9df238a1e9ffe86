/**
 * The `puretls/x509` entry point and the exceptions it raises, against CPython
 * itself where CPython can say: the `str()`, `errno`, `strerror` and `args`
 * of `OSError`/`SSLError` for the same constructor arguments, the
 * `getpeercert()` dict of `ssl._ssl._test_decode_cert`, and the `VERIFY_*`
 * and `Purpose` values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CertificateError,
  OSError,
  Purpose,
  SSLCertVerificationError,
  SSLError,
  ValueError,
  VERIFY_ALLOW_PROXY_CERTS,
  VERIFY_CRL_CHECK_CHAIN,
  VERIFY_CRL_CHECK_LEAF,
  VERIFY_DEFAULT,
  VERIFY_X509_PARTIAL_CHAIN,
  VERIFY_X509_STRICT,
  VERIFY_X509_TRUSTED_FIRST,
  VERIFY_X509_WEBPKI,
  decode_certificate,
  verify_chain,
} from '../../src/api/x509.ts';
import { certificateToPem, crlToPem } from '../../src/x509/pem.ts';
import { EKU, NOW, ext, issueCrl, simpleChain } from '../fixtures/x509-validate/builder.ts';

function python(code: string): unknown {
  return JSON.parse(execFileSync('python3', ['-c', code]).toString());
}

function raised(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was raised');
}

describe('constants', () => {
  it('have CPython ssl module values', () => {
    const py = python(
      'import ssl, json; print(json.dumps([ssl.VERIFY_DEFAULT, ssl.VERIFY_CRL_CHECK_LEAF, ssl.VERIFY_CRL_CHECK_CHAIN, ssl.VERIFY_X509_STRICT, ' +
        'ssl.VERIFY_ALLOW_PROXY_CERTS, ssl.VERIFY_X509_TRUSTED_FIRST, ssl.VERIFY_X509_PARTIAL_CHAIN, ' +
        '[list(ssl.Purpose.SERVER_AUTH.value), list(ssl.Purpose.CLIENT_AUTH.value)]]))',
    );
    const purpose = (p: (typeof Purpose)[keyof typeof Purpose]) => [p.nid, p.shortname, p.longname, p.oid];
    expect([
      VERIFY_DEFAULT,
      VERIFY_CRL_CHECK_LEAF,
      VERIFY_CRL_CHECK_CHAIN,
      VERIFY_X509_STRICT,
      VERIFY_ALLOW_PROXY_CERTS,
      VERIFY_X509_TRUSTED_FIRST,
      VERIFY_X509_PARTIAL_CHAIN,
      [purpose(Purpose.SERVER_AUTH), purpose(Purpose.CLIENT_AUTH)],
    ]).toEqual(py);
  });

  it('give VERIFY_X509_WEBPKI a bit no CPython VerifyFlags member and no OpenSSL 3.0 X509_V_FLAG uses', () => {
    const all = python('import ssl, functools, operator; print(functools.reduce(operator.or_, [int(f) for f in ssl.VerifyFlags]))');
    expect(VERIFY_X509_WEBPKI).toBe(0x40000000);
    expect(VERIFY_X509_WEBPKI & (all as number)).toBe(0);
    // X509_V_FLAG_NO_CHECK_TIME (0x200000) is OpenSSL 3.0's highest flag.
    expect(VERIFY_X509_WEBPKI).toBeGreaterThan(0x200000);
  });
});

describe('exceptions', () => {
  it('format and carry arguments as CPython does', () => {
    const cases: unknown[][] = [[1, 'abc'], ['x'], [], [2, 'a', 'file'], [2, 'a', 'f1', null, 'f2'], ['x', 1]];
    const py = python(
      `import ssl, json\nout = []\nfor a in json.loads(${JSON.stringify(JSON.stringify(cases))}):\n  for cls in (OSError, ssl.SSLError):\n    e = cls(*a)\n    out.append([str(e), e.errno, e.strerror, list(e.args), e.filename, e.filename2])\nprint(json.dumps(out))`,
    );
    const ours = cases.flatMap((a) => [new OSError(...a), new SSLError(...a)].map((e) => [e.message, e.errno, e.strerror, [...e.args], e.filename, e.filename2]));
    expect(ours).toEqual(py);
  });

  it('keep the hierarchy: SSLCertVerificationError is an SSLError, an OSError, a ValueError, and CertificateError', () => {
    const error = new SSLCertVerificationError(1, 'x');
    expect(error).toBeInstanceOf(SSLError);
    expect(error).toBeInstanceOf(OSError);
    expect(error).toBeInstanceOf(ValueError);
    expect(new SSLError(1, 'x')).not.toBeInstanceOf(ValueError);
    expect(CertificateError).toBe(SSLCertVerificationError);
    expect([error.name, new SSLError().name, new OSError().name, new ValueError('v').name]).toEqual(['SSLCertVerificationError', 'SSLError', 'OSError', 'ValueError']);
  });
});

describe('verify_chain', () => {
  const chain = simpleChain();
  const trusted = [certificateToPem(chain.root.der)];

  it('returns the validated chain as DER, leaf first, from PEM or DER input', () => {
    const pem = certificateToPem(chain.leaf.der) + certificateToPem(chain.intermediate.der);
    expect(verify_chain(pem, { trusted, time: NOW, hostname: 'example.com' })).toEqual([chain.leaf.der, chain.intermediate.der, chain.root.der]);
    expect(verify_chain(chain.leaf.der, { trusted: chain.root.der, intermediates: [chain.intermediate.der], time: NOW })).toHaveLength(3);
  });

  it('raises SSLCertVerificationError with CPython message, errno, library and reason', () => {
    const error = raised(() => verify_chain(chain.leaf.der, { trusted, time: NOW })) as SSLCertVerificationError;
    expect(error).toBeInstanceOf(SSLCertVerificationError);
    expect([error.verify_code, error.verify_message, error.errno, error.library, error.reason]).toEqual([
      20,
      'unable to get local issuer certificate',
      1,
      'SSL',
      'CERTIFICATE_VERIFY_FAILED',
    ]);
    expect(error.message).toBe('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)');
    expect(error.args).toEqual([1, error.message]);
  });

  it('words a name mismatch as CPython does', () => {
    const opts = { trusted, intermediates: [chain.intermediate.der], time: NOW };
    const host = raised(() => verify_chain(chain.leaf.der, { ...opts, hostname: 'other.test' })) as SSLCertVerificationError;
    expect([host.verify_code, host.verify_message]).toEqual([62, "Hostname mismatch, certificate is not valid for 'other.test'."]);
    const address = raised(() => verify_chain(chain.leaf.der, { ...opts, hostname: '192.0.2.9' })) as SSLCertVerificationError;
    expect(address.message).toBe(
      "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '192.0.2.9'. (_ssl.c:1006)",
    );
  });

  it('checks revocation with VERIFY_CRL_CHECK_LEAF', () => {
    const crl = crlToPem(issueCrl({ issuer: chain.intermediate, revoked: [chain.leaf.cert.serialNumber] }));
    const opts = { trusted, intermediates: [chain.intermediate.der], time: NOW, flags: VERIFY_CRL_CHECK_LEAF };
    expect((raised(() => verify_chain(chain.leaf.der, { ...opts, crls: [crl] })) as SSLCertVerificationError).verify_code).toBe(23);
    expect((raised(() => verify_chain(chain.leaf.der, opts)) as SSLCertVerificationError).verify_code).toBe(3);
  });

  it('takes the purpose as ssl.Purpose passes it (the object) or as its OID string', () => {
    const serverOnly = simpleChain({ extensions: [ext.extKeyUsage([EKU.serverAuth])] });
    const opts = { trusted: serverOnly.root.der, intermediates: [serverOnly.intermediate.der], time: NOW };
    expect(verify_chain(serverOnly.leaf.der, { ...opts, purpose: Purpose.SERVER_AUTH })).toHaveLength(3);
    expect(verify_chain(serverOnly.leaf.der, { ...opts, purpose: Purpose.SERVER_AUTH.oid })).toHaveLength(3);
    for (const purpose of [Purpose.CLIENT_AUTH, Purpose.CLIENT_AUTH.oid]) {
      const error = raised(() => verify_chain(serverOnly.leaf.der, { ...opts, purpose })) as SSLCertVerificationError;
      expect([error.constructor, error.verify_code, error.verify_message]).toEqual([SSLCertVerificationError, 26, 'unsuitable certificate purpose']);
    }
    const unknown = raised(() => verify_chain(serverOnly.leaf.der, { ...opts, purpose: { oid: '1.3.6.1.5.5.7.3.3' } }));
    expect([unknown instanceof SSLError, unknown instanceof SSLCertVerificationError]).toEqual([true, false]);
    expect((unknown as Error).message).toContain('unsupported purpose 1.3.6.1.5.5.7.3.3');
  });

  it('raises SSLError (not a verification error) for input that is not a certificate', () => {
    const error = raised(() => verify_chain('no PEM here', { trusted, time: NOW }));
    expect(error).toBeInstanceOf(SSLError);
    expect(error).not.toBeInstanceOf(SSLCertVerificationError);
    expect((error as SSLError).library).toBe('X509');
    expect(raised(() => verify_chain(chain.leaf.der, { trusted, purpose: '1.2.3' }))).toBeInstanceOf(SSLError);
  });
});

describe('decode_certificate', () => {
  it('gives the getpeercert() dict ssl._ssl._test_decode_cert gives', () => {
    const { leaf } = simpleChain();
    const dir = mkdtempSync(join(tmpdir(), 'puretls-api-'));
    const file = join(dir, 'leaf.pem');
    writeFileSync(file, certificateToPem(leaf.der));
    const py = python(`import ssl, json; print(json.dumps(ssl._ssl._test_decode_cert(${JSON.stringify(file)})))`);
    expect(JSON.parse(JSON.stringify(decode_certificate(certificateToPem(leaf.der))))).toEqual(py);
    expect(decode_certificate(leaf.der)).toEqual(decode_certificate(certificateToPem(leaf.der)));
  });
});
