/**
 * Name constraint matching (RFC 5280 §4.2.1.10) on plain values: each name
 * form, wildcards judged by every name they could stand for, malformed
 * constraints and names, unsupported forms, and the comparison budget.
 */
import { describe, expect, it } from 'vitest';
import type { GeneralName } from '../../src/x509/general-names.ts';
import type { DistinguishedName } from '../../src/x509/names.ts';
import { parseName } from '../../src/x509/names.ts';
import { decodeDer } from '../../src/x509/der.ts';
import { type NameConstraints, checkConstraintSyntax, checkNameConstraints } from '../../src/x509/name-constraints.ts';
import { MAX_NAME_CONSTRAINT_COMPARISONS, VerificationBudget } from '../../src/x509/verification-budget.ts';
import { X509_V, X509VerifyError } from '../../src/x509/verify-codes.ts';
import { name as nameDer } from '../fixtures/x509-validate/builder.ts';
import { thrown } from '../handshake/messages/support.ts';

const dns = (value: string): GeneralName => ({ type: 'dNSName', value });
const email = (value: string): GeneralName => ({ type: 'rfc822Name', value });
const uri = (value: string): GeneralName => ({ type: 'uniformResourceIdentifier', value });
const ip = (...bytes: number[]): GeneralName => ({ type: 'iPAddress', bytes: Uint8Array.from(bytes) });
const dn = (rdns: [string, string][]): DistinguishedName => parseName(decodeDer(nameDer(rdns), 'Name'), 'Name');
const dir = (rdns: [string, string][]): GeneralName => ({ type: 'directoryName', name: dn(rdns) });
const EMPTY = dn([]);

/** The verify code for `altNames` (and `subject`) under the constraints, or 0. */
function code(constraints: Partial<NameConstraints>, altNames: GeneralName[], subject = EMPTY, commonNamesAsDns = false): number {
  const nc = { permitted: constraints.permitted ?? [], excluded: constraints.excluded ?? [] };
  const syntax = checkConstraintSyntax(nc);
  if (syntax) return syntax.code;
  return checkNameConstraints(nc, { subject, altNames, commonNamesAsDns }, new VerificationBudget())?.code ?? 0;
}

const PERMITTED = X509_V.ERR_PERMITTED_VIOLATION;
const EXCLUDED = X509_V.ERR_EXCLUDED_VIOLATION;

describe('dNSName constraints', () => {
  it('cover the name and every name with more labels on the left, case-insensitively', () => {
    const nc = { permitted: [dns('example.com')] };
    expect(code(nc, [dns('example.com')])).toBe(0);
    expect(code(nc, [dns('a.b.EXAMPLE.com')])).toBe(0);
    expect(code(nc, [dns('notexample.com')])).toBe(PERMITTED);
    expect(code(nc, [dns('example.com.evil')])).toBe(PERMITTED);
  });

  it('let an exclusion win over a permission, and check every altName', () => {
    expect(code({ permitted: [dns('example.com')], excluded: [dns('example.com')] }, [dns('example.com')])).toBe(EXCLUDED);
    expect(code({ excluded: [dns('bad.example.com')] }, [dns('ok.example.com'), dns('x.bad.example.com')])).toBe(EXCLUDED);
  });

  it('judge a wildcard by all the names it stands for (CVE-2025-61727)', () => {
    expect(code({ permitted: [dns('example.com')] }, [dns('*.example.com')])).toBe(0);
    expect(code({ permitted: [dns('foo.example.com')] }, [dns('*.example.com')])).toBe(PERMITTED);
    expect(code({ excluded: [dns('bar.example.com')] }, [dns('*.example.com')])).toBe(EXCLUDED);
    expect(code({ excluded: [dns('a.bar.example.com')] }, [dns('*.example.com')])).toBe(0);
  });

  it('refuse malformed constraints (52) and malformed names (53)', () => {
    for (const bad of ['.example.com', '*.example.com', 'exa_mple.com', 'example..com', '']) {
      expect(code({ permitted: [dns(bad)] }, [dns('example.com')])).toBe(X509_V.ERR_UNSUPPORTED_CONSTRAINT_SYNTAX);
    }
    for (const bad of ['.example.com', 'http://example.com', '127.0.0.1\u0000', 'foo_bar.example.com']) {
      expect(code({ permitted: [dns('example.com')] }, [dns(bad)])).toBe(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX);
    }
  });

  it('apply to the common name when the caller says it stands for a hostname', () => {
    const subject = dn([['O', 'Org'], ['CN', 'www.evil.test']]);
    expect(code({ permitted: [dns('example.com')] }, [], subject, false)).toBe(0);
    expect(code({ permitted: [dns('example.com')] }, [], subject, true)).toBe(PERMITTED);
    // A CN that cannot be a hostname is a label, not a name.
    expect(code({ permitted: [dns('example.com')] }, [], dn([['CN', 'My Server']]), true)).toBe(0);
  });
});

describe('iPAddress constraints', () => {
  it('match address and mask, per family', () => {
    const nc = { permitted: [ip(192, 0, 2, 0, 255, 255, 255, 0)] };
    expect(code(nc, [ip(192, 0, 2, 77)])).toBe(0);
    expect(code(nc, [ip(192, 0, 3, 1)])).toBe(PERMITTED);
    const v6 = [0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)];
    expect(code(nc, [ip(...v6)])).toBe(PERMITTED);
    const v6Subnet = ip(...v6, ...new Array(4).fill(0xff), ...new Array(12).fill(0));
    expect(code({ excluded: [v6Subnet] }, [ip(...v6.slice(0, 15), 1)])).toBe(EXCLUDED);
  });

  it('refuse a constraint that is not address plus CIDR mask, and a name that is not 4 or 16 bytes', () => {
    expect(code({ permitted: [ip(192, 0, 2, 0)] }, [ip(192, 0, 2, 1)])).toBe(X509_V.ERR_UNSUPPORTED_CONSTRAINT_SYNTAX);
    expect(code({ permitted: [ip(192, 0, 2, 0, 255, 0, 255, 0)] }, [ip(192, 0, 2, 1)])).toBe(X509_V.ERR_UNSUPPORTED_CONSTRAINT_SYNTAX);
    expect(code({ permitted: [ip(192, 0, 2, 0, 255, 255, 255, 0)] }, [ip(192, 0, 2, 0, 255, 255, 255, 0)])).toBe(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX);
  });
});

describe('rfc822Name constraints', () => {
  it('read a mailbox, a host, or a domain with a leading period', () => {
    expect(code({ permitted: [email('foo@example.com')] }, [email('foo@EXAMPLE.com')])).toBe(0);
    expect(code({ permitted: [email('foo@example.com')] }, [email('Foo@example.com')])).toBe(PERMITTED);
    expect(code({ permitted: [email('example.com')] }, [email('anyone@example.com')])).toBe(0);
    expect(code({ permitted: [email('example.com')] }, [email('anyone@sub.example.com')])).toBe(PERMITTED);
    expect(code({ permitted: [email('.example.com')] }, [email('anyone@sub.example.com')])).toBe(0);
    expect(code({ permitted: [email('.example.com')] }, [email('anyone@example.com')])).toBe(PERMITTED);
  });

  it('take an asterisk literally', () => {
    expect(code({ permitted: [email('*@example.com')] }, [email('*@example.com')])).toBe(0);
    expect(code({ permitted: [email('*@example.com')] }, [email('user@example.com')])).toBe(PERMITTED);
  });

  it('refuse malformed mailboxes on either side, and include subject emailAddress attributes', () => {
    expect(code({ permitted: [email('a@b@example.com')] }, [email('a@example.com')])).toBe(X509_V.ERR_UNSUPPORTED_CONSTRAINT_SYNTAX);
    expect(code({ permitted: [email('example.com')] }, [email('a@b@example.com')])).toBe(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX);
    expect(code({ permitted: [email('example.com')] }, [], dn([['emailAddress', 'x@elsewhere.test']]))).toBe(PERMITTED);
  });
});

describe('directoryName constraints', () => {
  it('are an RDN prefix of the subject and of directoryName altNames, compared canonically', () => {
    const nc = { permitted: [dir([['O', 'Example'], ['OU', 'Web']])] };
    expect(code(nc, [], dn([['O', 'example'], ['OU', ' web '], ['CN', 'x']]))).toBe(0);
    expect(code(nc, [], dn([['O', 'Example'], ['OU', 'Mail'], ['CN', 'x']]))).toBe(PERMITTED);
    expect(code(nc, [], dn([['O', 'Example']]))).toBe(PERMITTED);
    expect(code({ excluded: [dir([['CN', 'foo']])] }, [dir([['CN', 'foo']])], dn([['CN', 'bar']]))).toBe(EXCLUDED);
  });

  it('leave an empty subject alone', () => {
    expect(code({ permitted: [dir([['O', 'Example']])] }, [dns('example.com')], EMPTY)).toBe(0);
  });
});

describe('uniformResourceIdentifier constraints', () => {
  it('apply to the host of the URI', () => {
    expect(code({ permitted: [uri('example.com')] }, [uri('https://example.com:8443/path')])).toBe(0);
    expect(code({ permitted: [uri('.example.com')] }, [uri('https://www.example.com/')])).toBe(0);
    expect(code({ permitted: [uri('example.com')] }, [uri('https://www.example.com/')])).toBe(PERMITTED);
    expect(code({ permitted: [uri('example.com')] }, [uri('urn:isbn:123')])).toBe(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX);
  });
});

describe('other forms', () => {
  const other: GeneralName = { type: 'otherName', typeId: '1.3.6.1.4.1.55738.666.1', value: Uint8Array.of(0x0c, 0x01, 0x61) };

  it('fail with 51 only when a name of that form is present', () => {
    expect(code({ excluded: [other] }, [other])).toBe(X509_V.ERR_UNSUPPORTED_CONSTRAINT_TYPE);
    expect(code({ excluded: [other] }, [dns('example.com')])).toBe(0);
  });

  it('do not constrain names of another form', () => {
    expect(code({ permitted: [ip(192, 0, 2, 0, 255, 255, 255, 0)] }, [dns('example.com')])).toBe(0);
  });
});

describe('budget', () => {
  const stats = (budget: VerificationBudget) => {
    const spent = { signatureChecks: 0, nameConstraintComparisons: 0 };
    budget.report(spent);
    return spent.nameConstraintComparisons;
  };
  const manyNames = (n: number) => ({ subject: EMPTY, altNames: Array.from({ length: n }, (_, i) => dns(`n${i}.example.com`)), commonNamesAsDns: false });
  const manySubtrees = (n: number) => ({ permitted: Array.from({ length: n }, (_, i) => dns(`c${i}.example.com`)), excluded: [] });

  it('refuses, without comparing, more comparisons than the verification allows', () => {
    const budget = new VerificationBudget();
    expect(1100 * 1000).toBeGreaterThan(MAX_NAME_CONSTRAINT_COMPARISONS);
    const error = thrown(() => checkNameConstraints(manySubtrees(1000), manyNames(1100), budget));
    expect(error).toBeInstanceOf(X509VerifyError);
    expect((error as X509VerifyError).code).toBe(X509_V.ERR_UNSPECIFIED);
    expect(stats(budget)).toBe(0);
  });

  it('is shared by every check of one verification', () => {
    const budget = new VerificationBudget();
    // 400 × 400 = 160,000 comparisons: once fits, twice does not.
    expect(checkNameConstraints(manySubtrees(400), manyNames(400), budget)?.code).toBe(X509_V.ERR_PERMITTED_VIOLATION);
    expect(stats(budget)).toBe(160_000);
    expect(thrown(() => checkNameConstraints(manySubtrees(400), manyNames(400), budget))).toBeInstanceOf(X509VerifyError);
    expect(stats(budget)).toBe(160_000);
  });
});
