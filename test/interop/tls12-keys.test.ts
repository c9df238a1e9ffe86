/**
 * The TLS 1.2 key derivation against a real OpenSSL connection:
 * `openssl s_client -tls1_2` talks to `openssl s_server -tls1_2` through a
 * relay that records every record. From OpenSSL come the master secret (the
 * key log's `CLIENT_RANDOM <client_random> <master_secret>` line, written by
 * s_client), both randoms and every handshake message (captured on the wire),
 * and the protected records. Ours are the key block (keyBlock12), record
 * protection (protection12), verify_data (finishedVerifyData12) and the TLS 1.2
 * message codecs, which must open and read what OpenSSL sent: each side's
 * first protected record is its Finished, whose verify_data must equal ours
 * over the hash of the handshake messages before it, and the client's next
 * record is the line written to s_client's stdin.
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { leafPublicKey } from '../../src/handshake/peer-certificate.ts';
import { finishedVerifyData12, keyBlock12 } from '../../src/handshake/prf12.ts';
import { decodeCertificate12 } from '../../src/handshake/messages/certificate12.ts';
import { decodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { decodeClientKeyExchange12 } from '../../src/handshake/messages/client-key-exchange12.ts';
import { decodeEcPointFormats, UNCOMPRESSED } from '../../src/handshake/messages/ec-point-formats.ts';
import { decodeEmptyMessage } from '../../src/handshake/messages/empty-message.ts';
import { decodeExtendedMasterSecret } from '../../src/handshake/messages/extended-master-secret.ts';
import { decodeExtension } from '../../src/handshake/messages/extensions.ts';
import type { HandshakeMessage } from '../../src/handshake/messages/handshake-message.ts';
import { parseHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeNewSessionTicket12 } from '../../src/handshake/messages/new-session-ticket12.ts';
import { decodeRenegotiationInfo } from '../../src/handshake/messages/renegotiation-info.ts';
import { decodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { decodeServerKeyExchange12, serverKeyExchangeParams, serverKeyExchangeSignedContent } from '../../src/handshake/messages/server-key-exchange12.ts';
import { handshakeSignatureAlgorithm, SUITES12 } from '../../src/handshake/suites.ts';
import { protection12 } from '../../src/record/protection12.ts';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';
import { CipherSuite, ContentType, ExtensionType, HandshakeType } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';
import type { RecordRelay, RelayedRecord } from '../helpers/record-relay.ts';
import { startRecordRelay } from '../helpers/record-relay.ts';
import { keyLogRecorder } from './matrix.ts';

const P = nobleProvider;
const H = HandshakeType;

const relays: RecordRelay[] = [];
afterEach(async () => {
  killAllOpenssl();
  await Promise.all(relays.splice(0).map((r) => r.close()));
});

/** OpenSSL's name of each TLS 1.2 suite, the IANA number it stands for, and the server key it needs. */
const CASES: readonly (readonly [string, number, KeyType])[] = [
  ['ECDHE-ECDSA-AES128-GCM-SHA256', CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 'p256'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 'p256'],
  ['ECDHE-ECDSA-CHACHA20-POLY1305', CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 'p256'],
  ['ECDHE-RSA-AES128-GCM-SHA256', CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 'rsa2048'],
  ['ECDHE-RSA-AES256-GCM-SHA384', CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, 'rsa2048'],
  ['ECDHE-RSA-CHACHA20-POLY1305', CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, 'rsa2048'],
];

/** The handshake messages in a run of handshake record bodies (messages may span or share records). */
function handshakeMessages(stream: Uint8Array): HandshakeMessage[] {
  const out: HandshakeMessage[] = [];
  for (let i = 0; i < stream.length; ) {
    const end = i + 4 + ((stream[i + 1]! << 16) | (stream[i + 2]! << 8) | stream[i + 3]!);
    out.push(parseHandshake(stream.subarray(i, end)));
    i = end;
  }
  return out;
}

/** The one message of `type` among `messages`. */
function only(messages: readonly HandshakeMessage[], type: number): Uint8Array {
  const found = messages.filter((m) => m.type === type);
  expect(found.length, `handshake type ${type}`).toBe(1);
  return found[0]!.body;
}

/** Runs s_client → relay → s_server for one suite; resolves with the records once the line reached the server. */
async function capture(cipher: string, keyType: KeyType, line: string) {
  const cred = credential(keyType);
  const { server, port } = await startServer(['-tls1_2', '-cipher', cipher, '-cert', cred.certFile, '-key', cred.keyFile]);
  const relay = await startRecordRelay(port);
  relays.push(relay);
  const keyLog = keyLogRecorder();
  const client = startClient(relay.port, ['-tls1_2', '-cipher', cipher, '-CAfile', cred.caFile, '-keylogfile', keyLog.file]);
  await client.waitFor(/Verify return code: 0/);
  client.write(line);
  await server.waitFor(new RegExp(line.trim()));
  return { records: [...relay.records], keyLogLines: keyLog.theirs(), leaf: cred.chain[0]! };
}

describe('TLS 1.2 keys from an OpenSSL connection (s_client → relay → s_server)', () => {
  it.each(CASES)('%s: our key block opens both Finished messages and the application data', async (cipher, suiteId, keyType) => {
    const suite = SUITES12.find((s) => s.id === suiteId)!;
    const line = `puretls tls12 ${cipher}\n`;
    const { records, keyLogLines, leaf } = await capture(cipher, keyType, line);

    // Each side's handshake messages before its ChangeCipherSpec, in clear: the hellos give the randoms.
    const plainStream = (from: RelayedRecord['from']) => {
      const ccs = records.findIndex((r) => r.from === from && r.type === ContentType.change_cipher_spec);
      return concatBytes(...records.slice(0, ccs).filter((r) => r.from === from && r.type === ContentType.handshake).map((r) => r.body));
    };
    const clientMessages = handshakeMessages(plainStream('client'));
    const serverMessages = handshakeMessages(plainStream('server'));
    const clientHello = decodeClientHello(only(clientMessages, H.client_hello));
    const serverHello = decodeServerHello(only(serverMessages, H.server_hello));
    expect(serverHello.legacyVersion).toBe(0x0303);
    expect(serverHello.cipherSuite).toBe(suiteId);

    // OpenSSL's TLS 1.2 extensions, read with our codecs.
    const shExtensions = serverHello.extensions;
    expect(decodeExtension(shExtensions, ExtensionType.extended_master_secret, decodeExtendedMasterSecret)).toBe(true);
    expect(decodeExtension(shExtensions, ExtensionType.renegotiation_info, decodeRenegotiationInfo)).toEqual(new Uint8Array(0));
    expect(decodeExtension(shExtensions, ExtensionType.ec_point_formats, decodeEcPointFormats)).toContain(UNCOMPRESSED);

    // The server's flight and the client's key exchange, read with our codecs; the ServerKeyExchange signature verifies over our signed content.
    expect(decodeCertificate12(only(serverMessages, H.certificate))[0]).toEqual(leaf);
    const ske = decodeServerKeyExchange12(only(serverMessages, H.server_key_exchange));
    const signed = serverKeyExchangeSignedContent(clientHello.random, serverHello.random, serverKeyExchangeParams(ske.group, ske.publicKey));
    const peerKey = leafPublicKey(leaf);
    const algorithm = handshakeSignatureAlgorithm(ske.algorithm, peerKey);
    expect(algorithm, `scheme 0x${ske.algorithm.toString(16)}`).toBeDefined();
    expect(P.verify(algorithm!, peerKey, signed, ske.signature)).toBe(true);
    expect(decodeEmptyMessage(only(serverMessages, H.server_hello_done), 'ServerHelloDone')).toBeUndefined();
    expect(decodeClientKeyExchange12(only(clientMessages, H.client_key_exchange)).length).toBe(ske.publicKey.length);
    expect(decodeNewSessionTicket12(only(serverMessages, H.new_session_ticket)).ticket.length).toBeGreaterThan(0);

    // The master secret from s_client's key log, for this connection's client random.
    const logged = keyLogLines.map((l) => l.split(' ')).find(([label, random]) => label === 'CLIENT_RANDOM' && random === toHex(clientHello.random));
    expect(logged, keyLogLines.join('\n')).toBeDefined();
    const masterSecret = fromHex(logged![2]!);
    expect(masterSecret.length).toBe(48);

    const keys = keyBlock12(P, suite, masterSecret, clientHello.random, serverHello.random);
    const readers = {
      client: protection12(P, suite, keys.clientWriteKey, keys.clientWriteIv),
      server: protection12(P, suite, keys.serverWriteKey, keys.serverWriteIv),
    };

    // Walk the conversation in order: each side's first record after its CCS is its Finished,
    // over every handshake message before it (the client's Finished is in the server's).
    const transcript: Uint8Array[] = [];
    const afterCcs = { client: false, server: false };
    const finished = { client: false, server: false };
    const applicationData: Uint8Array[] = [];
    for (const record of records) {
      const side = record.from;
      if (record.type === ContentType.change_cipher_spec) {
        expect(record.body).toEqual(new Uint8Array([1]));
        afterCcs[side] = true;
      } else if (!afterCcs[side]) {
        expect(record.type).toBe(ContentType.handshake);
        transcript.push(record.body);
      } else {
        const opened = readers[side].open(record.type, record.body, record.version);
        if (!finished[side]) {
          expect(opened.type).toBe(ContentType.handshake);
          const message = parseHandshake(opened.content);
          expect(message.type).toBe(H.finished);
          const transcriptHash = P.hash(suite.hash).digest(concatBytes(...transcript));
          expect(toHex(message.body)).toBe(toHex(finishedVerifyData12(P, suite, masterSecret, side, transcriptHash)));
          transcript.push(opened.content);
          finished[side] = true;
        } else if (side === 'client' && opened.type === ContentType.application_data) {
          applicationData.push(opened.content);
        }
      }
    }
    expect(finished).toEqual({ client: true, server: true });
    expect(applicationData[0]).toEqual(utf8(line));
  });
});
