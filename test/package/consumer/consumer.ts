// Type-checked by test/package/pack.test.ts against the declarations in the packed
// puretls, with skipLibCheck off so the shipped .d.ts files are checked too.
import * as ssl from 'puretls/ssl';
import { decode_certificate } from 'puretls/x509';

const context: ssl.SSLContext = ssl.create_default_context();
const incoming = new ssl.MemoryBIO();
const tls: ssl.SSLObject = context.wrap_bio(incoming, new ssl.MemoryBIO(), { server_hostname: 'example.com' });
const subject: unknown = decode_certificate;
// The declarations carry real types: were they missing (any), this line would not be an error.
// @ts-expect-error OPENSSL_VERSION is a string
const wrong: number = ssl.OPENSSL_VERSION;
export { subject, tls, wrong };
