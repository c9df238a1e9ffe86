/**
 * Test oracles for `src/x509` name handling: the OpenSSL 3.0 library CPython is
 * linked against, called through Python's ctypes (`X509_check_host` with the
 * flags CPython sets, `X509_check_ip`, `a2i_IPADDRESS`, `X509_NAME_hash`,
 * `X509_NAME_cmp`, `X509_check_ca`), CPython's `cert_store_stats()`, and
 * Python itself (`str.encode('idna')`, its `punycode` codec and `stringprep`
 * tables, `ssl._ssl._test_decode_cert`). Every question of a test goes to one
 * Python process in one batch. Also a tiny DER writer that makes certificates
 * with any subject and subjectAltName bytes we want to ask OpenSSL about (the
 * signature is garbage: nothing here verifies it).
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';

/** X509_CHECK_FLAG_* from openssl/x509v3.h. */
export const CHECK_FLAG = {
  ALWAYS_CHECK_SUBJECT: 0x1,
  NO_WILDCARDS: 0x2,
  NO_PARTIAL_WILDCARDS: 0x4,
  MULTI_LABEL_WILDCARDS: 0x8,
  SINGLE_LABEL_SUBDOMAINS: 0x10,
  NEVER_CHECK_SUBJECT: 0x20,
} as const;

/** The host flags CPython's SSLContext sets; NEVER_CHECK_SUBJECT when hostname_checks_common_name is False. */
export function cpythonHostFlags(checkCommonName: boolean): number {
  return CHECK_FLAG.NO_PARTIAL_WILDCARDS | (checkCommonName ? 0 : CHECK_FLAG.NEVER_CHECK_SUBJECT);
}

export type OracleQuery =
  | { readonly op: 'a2i'; readonly text: string }
  | { readonly op: 'checkHost'; readonly der: Uint8Array; readonly name: string; readonly flags: number }
  | { readonly op: 'checkIp'; readonly der: Uint8Array; readonly ip: Uint8Array }
  | { readonly op: 'nameHash'; readonly der: Uint8Array }
  | { readonly op: 'idna'; readonly text: string }
  | { readonly op: 'punycodeEncode'; readonly text: string }
  | { readonly op: 'punycodeDecode'; readonly text: string }
  | { readonly op: 'nameprepEach'; readonly codePoints: readonly number[] }
  | { readonly op: 'stringprepTables' }
  | { readonly op: 'decodeCert'; readonly der: Uint8Array }
  | { readonly op: 'checkCa'; readonly der: Uint8Array }
  | { readonly op: 'nameCmp'; readonly der: Uint8Array; readonly other: Uint8Array }
  | { readonly op: 'storeStats'; readonly cafile: string };

const ORACLE_PY = String.raw`
import ctypes, json, sys, ssl, tempfile, os
lib = ctypes.CDLL('libcrypto.so.3')
lib.a2i_IPADDRESS.restype = ctypes.c_void_p
lib.a2i_IPADDRESS.argtypes = [ctypes.c_char_p]
lib.ASN1_STRING_length.argtypes = [ctypes.c_void_p]
lib.ASN1_STRING_get0_data.argtypes = [ctypes.c_void_p]
lib.ASN1_STRING_get0_data.restype = ctypes.POINTER(ctypes.c_ubyte)
lib.ASN1_OCTET_STRING_free.argtypes = [ctypes.c_void_p]
lib.d2i_X509.restype = ctypes.c_void_p
lib.d2i_X509.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_long]
lib.X509_free.argtypes = [ctypes.c_void_p]
lib.X509_check_host.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_void_p]
lib.X509_check_ip.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]
lib.X509_subject_name_hash.argtypes = [ctypes.c_void_p]
lib.X509_subject_name_hash.restype = ctypes.c_ulong
lib.X509_check_ca.argtypes = [ctypes.c_void_p]
lib.X509_get_subject_name.argtypes = [ctypes.c_void_p]
lib.X509_get_subject_name.restype = ctypes.c_void_p
lib.X509_NAME_cmp.argtypes = [ctypes.c_void_p, ctypes.c_void_p]

def cert(hexder):
    der = bytes.fromhex(hexder)
    p = ctypes.c_char_p(der)
    x = lib.d2i_X509(None, ctypes.byref(p), len(der))
    if not x:
        raise ValueError('d2i_X509 failed')
    return x

def outcome(run):
    # A codec's UnicodeError is re-raised wrapped; its own text is in __cause__.
    try:
        return {'ok': run()}
    except UnicodeError as e:
        return {'error': str(e.__cause__ or e)}

def answer(q):
    op = q['op']
    if op == 'a2i':
        s = lib.a2i_IPADDRESS(q['text'].encode('utf-8'))
        if not s:
            return None
        n = lib.ASN1_STRING_length(s)
        d = lib.ASN1_STRING_get0_data(s)
        out = bytes(d[i] for i in range(n)).hex()
        lib.ASN1_OCTET_STRING_free(s)
        return out
    if op == 'checkHost':
        x = cert(q['der'])
        name = q['name'].encode('utf-8')
        r = lib.X509_check_host(x, name, len(name), q['flags'], None)
        lib.X509_free(x)
        return r
    if op == 'checkIp':
        x = cert(q['der'])
        ip = bytes.fromhex(q['ip'])
        r = lib.X509_check_ip(x, ip, len(ip), 0)
        lib.X509_free(x)
        return r
    if op == 'nameHash':
        try:
            x = cert(q['der'])
        except ValueError:
            return None
        r = '%08x' % lib.X509_subject_name_hash(x)
        lib.X509_free(x)
        return r
    if op == 'idna':
        return outcome(lambda: q['text'].encode('idna').decode('ascii'))
    if op == 'punycodeEncode':
        return q['text'].encode('punycode').decode('ascii')
    if op == 'punycodeDecode':
        return outcome(lambda: q['text'].encode('ascii').decode('punycode'))
    if op == 'nameprepEach':
        # For each code point: nameprep of it alone where that is not itself, and str.lower() where that is not itself.
        from encodings.idna import nameprep
        changed, lower = {}, {}
        for c in q['codePoints']:
            ch = chr(c)
            if ch.lower() != ch:
                lower[c] = ch.lower()
            try:
                r = nameprep(ch)
                if r != ch:
                    changed[c] = r
            except UnicodeError as e:
                changed[c] = {'error': str(e)}
        return {'changed': changed, 'lower': lower}
    if op == 'stringprepTables':
        import stringprep as sp
        from unicodedata import ucd_3_2_0 as u
        preds = {
            'UNASSIGNED_3_2': lambda ch: u.category(ch) == 'Cn',
            'MAPPED_TO_NOTHING': sp.in_table_b1,
            'PROHIBITED': lambda ch: any(f(ch) for f in (sp.in_table_c12, sp.in_table_c22, sp.in_table_c3,
                sp.in_table_c4, sp.in_table_c5, sp.in_table_c6, sp.in_table_c7, sp.in_table_c8, sp.in_table_c9)),
            'RAND_AL_CAT': sp.in_table_d1,
            'L_CAT': sp.in_table_d2,
        }
        out = {}
        for name, pred in preds.items():
            ranges, start = [], None
            for c in range(0x110001):
                inside = c <= 0x10FFFF and pred(chr(c))
                if inside and start is None:
                    start = c
                elif not inside and start is not None:
                    ranges.append('%x' % start if start == c - 1 else '%x-%x' % (start, c - 1))
                    start = None
            out[name] = ','.join(ranges)
        import unicodedata
        out['NORMALIZATION_CHANGES'] = {}
        for c in range(0x110000):
            ch = chr(c)
            if u.category(ch) not in ('Cn', 'Cs') and u.normalize('NFKC', ch) != unicodedata.normalize('NFKC', ch):
                out['NORMALIZATION_CHANGES']['%x' % c] = ' '.join('%x' % ord(x) for x in u.normalize('NFKC', ch))
        return out
    if op == 'checkCa':
        x = cert(q['der'])
        r = lib.X509_check_ca(x)
        lib.X509_free(x)
        return r
    if op == 'nameCmp':
        x, y = cert(q['der']), cert(q['other'])
        r = lib.X509_NAME_cmp(lib.X509_get_subject_name(x), lib.X509_get_subject_name(y))
        lib.X509_free(x)
        lib.X509_free(y)
        return r
    if op == 'storeStats':
        fd, path = tempfile.mkstemp(suffix='.pem')
        with os.fdopen(fd, 'w') as f:
            f.write(q['cafile'])
        try:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(cafile=path)
            return {'stats': ctx.cert_store_stats(), 'caCerts': [c['serialNumber'] for c in ctx.get_ca_certs()]}
        finally:
            os.unlink(path)
    if op == 'decodeCert':
        fd, path = tempfile.mkstemp(suffix='.pem')
        with os.fdopen(fd, 'w') as f:
            f.write(ssl.DER_cert_to_PEM_cert(bytes.fromhex(q['der'])))
        try:
            return ssl._ssl._test_decode_cert(path)
        finally:
            os.unlink(path)
    raise ValueError(op)

print(json.dumps([answer(q) for q in json.load(sys.stdin)]))
`;

/** Answers every query in one Python process; the answers are in query order. */
export function askOracle(queries: readonly OracleQuery[]): unknown[] {
  const wire = queries.map((q) => {
    switch (q.op) {
      case 'checkHost':
      case 'nameHash':
      case 'decodeCert':
      case 'checkCa':
        return { ...q, der: toHex(q.der) };
      case 'nameCmp':
        return { ...q, der: toHex(q.der), other: toHex(q.other) };
      case 'checkIp':
        return { ...q, der: toHex(q.der), ip: toHex(q.ip) };
      default:
        return q;
    }
  });
  const run = spawnSync('python3', ['-c', ORACLE_PY], {
    input: JSON.stringify(wire),
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

// --- A minimal DER writer for test certificates (X.690) ---

export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  const n = body.length;
  let length: Uint8Array;
  if (n < 0x80) length = Uint8Array.of(n);
  else if (n < 0x100) length = Uint8Array.of(0x81, n);
  else if (n < 0x10000) length = Uint8Array.of(0x82, n >> 8, n & 0xff);
  else throw new Error('tlv: too long for a test certificate');
  return concatBytes(Uint8Array.of(tag), length, body);
}

export const seq = (...c: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...c);
export const set = (...c: readonly Uint8Array[]): Uint8Array => tlv(0x31, ...c);

/** DER OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** ASN.1 string tags used in names. */
export const STRING_TAG = {
  UTF8String: 0x0c,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
} as const;

export const OID = {
  commonName: '2.5.4.3',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** One AttributeTypeAndValue: the value is given as raw content bytes with its string tag. */
export interface Attribute {
  readonly type: string;
  readonly tag: number;
  readonly value: Uint8Array;
}

/** A Name (RFC 5280 §4.1.2.4): a sequence of RDNs, each a SET of attributes. */
export function encodeName(rdns: readonly (readonly Attribute[])[]): Uint8Array {
  return seq(...rdns.map((rdn) => set(...rdn.map((a) => seq(oid(a.type), tlv(a.tag, a.value))))));
}

/** An attribute whose value is `text` in UTF-8 (or BMP/Universal code units for those tags). */
export function attr(type: string, text: string, tag: number = STRING_TAG.UTF8String): Attribute {
  return { type, tag, value: encodeString(text, tag) };
}

function encodeString(text: string, tag: number): Uint8Array {
  if (tag === STRING_TAG.BMPString) {
    const out = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      out[2 * i] = text.charCodeAt(i) >> 8;
      out[2 * i + 1] = text.charCodeAt(i) & 0xff;
    }
    return out;
  }
  if (tag === STRING_TAG.UniversalString) {
    const cps = Array.from(text, (c) => c.codePointAt(0) ?? 0);
    return Uint8Array.from(cps.flatMap((cp) => [cp >>> 24, (cp >> 16) & 0xff, (cp >> 8) & 0xff, cp & 0xff]));
  }
  if (tag === STRING_TAG.T61String) return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  return utf8(text);
}

/** GeneralName (RFC 5280 §4.2.1.6) constructors over raw bytes. */
export const generalName = {
  dns: (name: string | Uint8Array): Uint8Array => tlv(0x82, typeof name === 'string' ? utf8(name) : name),
  ip: (bytes: Uint8Array): Uint8Array => tlv(0x87, bytes),
  email: (name: string): Uint8Array => tlv(0x81, utf8(name)),
  uri: (name: string): Uint8Array => tlv(0x86, utf8(name)),
};

/** A valid P-256 SubjectPublicKeyInfo, so that OpenSSL parses the certificate happily. */
const SPKI = fromHex(
  '3059301306072a8648ce3d020106082a8648ce3d030107034200041b56eefd74531c853802de211bc094a2fff1f50a' +
    'c5825064f8a94453a60f1eac0715ab0897ffcdc962d33d0a3e61e27b155deff0fb00e424a4e43f532191798c',
);

export interface TestCertificate {
  /** 3 unless given; a v1 certificate has no extensions. */
  readonly version?: 1 | 3;
  readonly subject?: readonly (readonly Attribute[])[];
  /** The subject unless given. */
  readonly issuer?: readonly (readonly Attribute[])[];
  /** AlgorithmIdentifier DER; ecdsa-with-SHA256 (matching the P-256 key) unless given. */
  readonly signatureAlgorithm?: Uint8Array;
  readonly serial?: number;
  /** Raw GeneralName encodings; omitted means no subjectAltName extension. */
  readonly san?: readonly Uint8Array[];
  /** Raw extra extensions (each a full Extension SEQUENCE). */
  readonly extensions?: readonly Uint8Array[];
}

/** A certificate with the given names and extensions, issued by itself unless told otherwise, signed with garbage. */
export function makeCertificate(spec: TestCertificate): Uint8Array {
  const algorithm = spec.signatureAlgorithm ?? seq(oid('1.2.840.10045.4.3.2'));
  const subject = encodeName(spec.subject ?? []);
  const issuer = spec.issuer === undefined ? subject : encodeName(spec.issuer);
  const time = (t: string): Uint8Array => tlv(0x17, utf8(t));
  const extensions = [...(spec.extensions ?? [])];
  if (spec.san !== undefined) {
    extensions.push(seq(oid(OID.subjectAltName), tlv(0x04, seq(...spec.san))));
  }
  const v1 = spec.version === 1;
  const tbs = seq(
    ...(v1 ? [] : [tlv(0xa0, tlv(0x02, Uint8Array.of(2)))]),
    tlv(0x02, Uint8Array.of(spec.serial ?? 1)),
    algorithm,
    issuer,
    seq(time('200101000000Z'), time('400101000000Z')),
    subject,
    SPKI,
    ...(extensions.length > 0 && !v1 ? [tlv(0xa3, seq(...extensions))] : []),
  );
  return seq(tbs, algorithm, tlv(0x03, Uint8Array.of(0, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)));
}

/** An Extension (RFC 5280 §4.1): OID, criticality when true, and the DER of its value. */
export function extension(type: string, value: Uint8Array, critical = false): Uint8Array {
  return seq(oid(type), ...(critical ? [tlv(0x01, Uint8Array.of(0xff))] : []), tlv(0x04, value));
}

/** `openssl verify` with `args` (the certificate files last): [code, depth] of its first error, [0, 0] when it verifies. */
export function opensslVerifyResult(args: readonly string[]): [number, number] {
  try {
    execFileSync('openssl', ['verify', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return [0, 0];
  } catch (error) {
    const text = String((error as { stdout: Buffer }).stdout) + String((error as { stderr: Buffer }).stderr);
    const match = /error (\d+) at (\d+) depth/.exec(text);
    if (!match) throw new Error(text);
    return [Number(match[1]), Number(match[2])];
  }
}
