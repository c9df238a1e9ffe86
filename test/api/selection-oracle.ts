/**
 * Oracles for the algorithm-selection strings of `SSLContext`: CPython 3.11's
 * `set_ciphers`/`get_ciphers`/`set_ecdh_curve`, and for the CPython 3.15
 * methods this interpreter lacks, the same OpenSSL 3.0 library (libssl.so.3)
 * through ctypes: `SSL_CTX_set_ciphersuites` (with the list it leaves),
 * `SSL_CTX_set1_groups_list`, `SSL_CTX_set1_sigalgs_list` and
 * `SSL_CTX_set1_client_sigalgs_list` (accepted or not). Every question of a
 * test goes to one Python process in one batch.
 * @module
 */
import { spawnSync } from 'node:child_process';

export type SelectionQuery =
  | { readonly op: 'setCiphers'; readonly text: string }
  | { readonly op: 'defaultCiphers' }
  | { readonly op: 'setEcdhCurve'; readonly text: string }
  | { readonly op: 'ciphersuites'; readonly text: string }
  | { readonly op: 'groups'; readonly text: string }
  | { readonly op: 'sigalgs'; readonly text: string };

export interface PythonError {
  readonly type: string;
  readonly args: unknown[];
  readonly errno: unknown;
  readonly str: string;
}

export interface CiphersAnswer {
  readonly error: PythonError | null;
  readonly level: number;
  readonly ciphers: Record<string, unknown>[];
}

const ORACLE_PY = String.raw`
import ctypes, json, ssl, sys
libssl = ctypes.CDLL('libssl.so.3')
libcrypto = ctypes.CDLL('libcrypto.so.3')
libssl.TLS_method.restype = ctypes.c_void_p
libssl.SSL_CTX_new.restype = ctypes.c_void_p
libssl.SSL_CTX_new.argtypes = [ctypes.c_void_p]
libssl.SSL_CTX_free.argtypes = [ctypes.c_void_p]
libssl.SSL_CTX_ctrl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
libssl.SSL_CTX_ctrl.restype = ctypes.c_long
libssl.SSL_CTX_set_ciphersuites.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
libssl.SSL_CTX_get_ciphers.argtypes = [ctypes.c_void_p]
libssl.SSL_CTX_get_ciphers.restype = ctypes.c_void_p
libssl.SSL_CIPHER_get_name.argtypes = [ctypes.c_void_p]
libssl.SSL_CIPHER_get_name.restype = ctypes.c_char_p
libssl.SSL_CIPHER_get_version.argtypes = [ctypes.c_void_p]
libssl.SSL_CIPHER_get_version.restype = ctypes.c_char_p
libcrypto.OPENSSL_sk_num.argtypes = [ctypes.c_void_p]
libcrypto.OPENSSL_sk_value.argtypes = [ctypes.c_void_p, ctypes.c_int]
libcrypto.OPENSSL_sk_value.restype = ctypes.c_void_p
SSL_CTRL_SET_GROUPS_LIST = 92
SSL_CTRL_SET_SIGALGS_LIST = 98
SSL_CTRL_SET_CLIENT_SIGALGS_LIST = 102

def error(e):
    return {'type': type(e).__name__, 'args': list(e.args), 'errno': getattr(e, 'errno', None), 'str': str(e)}

def with_ctx(run):
    ctx = libssl.SSL_CTX_new(libssl.TLS_method())
    try:
        return run(ctx)
    finally:
        libssl.SSL_CTX_free(ctx)

def ciphersuites(ctx, text):
    ok = libssl.SSL_CTX_set_ciphersuites(ctx, text.encode()) == 1
    sk = libssl.SSL_CTX_get_ciphers(ctx)
    ciphers = [libcrypto.OPENSSL_sk_value(sk, i) for i in range(libcrypto.OPENSSL_sk_num(sk))]
    names = [libssl.SSL_CIPHER_get_name(c).decode() for c in ciphers if libssl.SSL_CIPHER_get_version(c) == b'TLSv1.3']
    return {'ok': ok, 'names': names}

def answer(q):
    op = q['op']
    if op in ('setCiphers', 'defaultCiphers'):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        err = None
        if op == 'setCiphers':
            try:
                ctx.set_ciphers(q['text'])
            except Exception as e:
                err = error(e)
        return {'error': err, 'level': ctx.security_level, 'ciphers': ctx.get_ciphers()}
    if op == 'setEcdhCurve':
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).set_ecdh_curve(q['text'])
            return None
        except Exception as e:
            return error(e)
    if op == 'ciphersuites':
        return with_ctx(lambda ctx: ciphersuites(ctx, q['text']))
    text = ctypes.c_char_p(q['text'].encode())
    if op == 'groups':
        return with_ctx(lambda ctx: libssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_GROUPS_LIST, 0, text) == 1)
    if op == 'sigalgs':
        return with_ctx(lambda ctx: [libssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SIGALGS_LIST, 0, text) == 1,
                                     libssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_CLIENT_SIGALGS_LIST, 0, text) == 1])
    raise ValueError(op)

print(json.dumps([answer(q) for q in json.load(sys.stdin)]))
`;

/** Answers every query in one Python process, in query order. */
export function askSelectionOracle(queries: readonly SelectionQuery[]): unknown[] {
  const run = spawnSync('python3', ['-c', ORACLE_PY], { input: JSON.stringify(queries), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`selection oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}
