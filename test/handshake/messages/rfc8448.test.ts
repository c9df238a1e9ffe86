/**
 * Known answers from the RFC 8448 traces: every handshake message of every
 * scenario decodes, passes the RFC 8446 §4.2 checks and re-encodes to the same
 * bytes; decoded fields equal values taken independently from the trace
 * (other steps' fields, Botan's transcript data, or fixed offsets in the hex).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateRequestView, decodeCertificateRequest, encodeCertificateRequest } from '../../../src/handshake/messages/certificate-request.ts';
import { certificateVerifyContent, decodeCertificateVerify, encodeCertificateVerify } from '../../../src/handshake/messages/certificate-verify.ts';
import { certificateEntryExtensions, decodeCertificate, encodeCertificate } from '../../../src/handshake/messages/certificate.ts';
import { checkClientHello13, clientHelloExtensions, decodeClientHello, encodeClientHello } from '../../../src/handshake/messages/client-hello.ts';
import { decodeEncryptedExtensions, encodeEncryptedExtensions, encryptedExtensionsView } from '../../../src/handshake/messages/encrypted-extensions.ts';
import { decodeEndOfEarlyData, encodeEndOfEarlyData } from '../../../src/handshake/messages/end-of-early-data.ts';
import { checkAllowed } from '../../../src/handshake/messages/extensions.ts';
import { decodeFinished, encodeFinished } from '../../../src/handshake/messages/finished.ts';
import { encodeHandshake, parseHandshake } from '../../../src/handshake/messages/handshake-message.ts';
import { decodeNewSessionTicket, encodeNewSessionTicket, newSessionTicketView } from '../../../src/handshake/messages/new-session-ticket.ts';
import { clientHelloWithBinders, truncatedClientHello } from '../../../src/handshake/messages/psk-binders.ts';
import {
  decodeServerHello,
  encodeServerHello,
  helloRetryRequestExtensions,
  isHelloRetryRequest,
  serverHelloExtensions,
} from '../../../src/handshake/messages/server-hello.ts';
import { concatBytes } from '../../../src/wire/bytes.ts';
import { CipherSuite, ExtensionType, HandshakeType, NamedGroup, SignatureScheme } from '../../../src/wire/registry.ts';
import { botanField, constructedMessages, traceField } from './support.ts';

const SCENARIOS = ['rfc8448', 'section_3', 'section_4', 'section_5', 'section_6', 'section_7'];
const sha256 = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(concatBytes(...parts)).digest());

/** A scenario's messages in order; in §4 the "ClientHello" field is the binder prefix, so the record payload stands in. */
function messages(scenario: string): Uint8Array[] {
  return constructedMessages(scenario).map(([name, bytes]) =>
    scenario === 'section_4' && name === 'ClientHello' ? traceField(scenario, '{client}  send handshake record', 'payload') : bytes,
  );
}

/** Decodes a body by type and re-encodes it; also runs the typed views and the §4.2 checks against the last ClientHello. */
function roundTrip(body: Uint8Array, type: number, offered: number[]): Uint8Array {
  switch (type) {
    case HandshakeType.client_hello: {
      const hello = decodeClientHello(body);
      checkAllowed('CH', hello.extensions);
      checkClientHello13(hello);
      clientHelloExtensions(hello);
      return encodeClientHello(hello);
    }
    case HandshakeType.server_hello: {
      const hello = decodeServerHello(body);
      if (isHelloRetryRequest(hello)) {
        checkAllowed('HRR', hello.extensions, offered);
        helloRetryRequestExtensions(hello);
      } else {
        checkAllowed('SH', hello.extensions, offered);
        serverHelloExtensions(hello);
      }
      return encodeServerHello(hello);
    }
    case HandshakeType.encrypted_extensions: {
      const ee = decodeEncryptedExtensions(body);
      checkAllowed('EE', ee.extensions, offered);
      encryptedExtensionsView(ee);
      return encodeEncryptedExtensions(ee);
    }
    case HandshakeType.certificate_request: {
      const cr = decodeCertificateRequest(body);
      checkAllowed('CR', cr.extensions);
      certificateRequestView(cr);
      return encodeCertificateRequest(cr);
    }
    case HandshakeType.certificate: {
      const certificate = decodeCertificate(body);
      for (const entry of certificate.certificateList) {
        checkAllowed('CT', entry.extensions, offered);
        certificateEntryExtensions(entry);
      }
      return encodeCertificate(certificate);
    }
    case HandshakeType.certificate_verify:
      return encodeCertificateVerify(decodeCertificateVerify(body));
    case HandshakeType.finished:
      return encodeFinished(decodeFinished(body, 32));
    case HandshakeType.new_session_ticket: {
      const ticket = decodeNewSessionTicket(body);
      checkAllowed('NST', ticket.extensions);
      newSessionTicketView(ticket);
      return encodeNewSessionTicket(ticket);
    }
    case HandshakeType.end_of_early_data:
      decodeEndOfEarlyData(body);
      return encodeEndOfEarlyData();
    default:
      throw new Error(`unexpected message type ${type}`);
  }
}

describe('every message of every RFC 8448 scenario', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: decodes, passes the §4.2 checks, and re-encodes byte for byte`, () => {
      const all = messages(scenario);
      expect(all.length).toBeGreaterThanOrEqual(6);
      let offered: number[] = [];
      for (const message of all) {
        const { type, body } = parseHandshake(message);
        if (type === HandshakeType.client_hello) offered = decodeClientHello(body).extensions.map((e) => e.type);
        expect(encodeHandshake(type, roundTrip(body, type, offered))).toEqual(message);
      }
    });
  }
});

const RFC = 'rfc8448';
const body = (scenario: string, label: string, name: string, nth = 0) => parseHandshake(traceField(scenario, label, name, nth)).body;

describe('RFC 8448 §3 simple 1-RTT: field values', () => {
  const clientHelloMessage = traceField(RFC, 'construct a ClientHello', 'ClientHello');
  const serverHelloMessage = traceField(RFC, 'construct a ServerHello', 'ServerHello');

  it('ClientHello', () => {
    const hello = decodeClientHello(parseHandshake(clientHelloMessage).body);
    expect(hello.legacyVersion).toBe(0x0303);
    expect(hello.random).toEqual(clientHelloMessage.subarray(6, 38));
    expect(hello.legacySessionId).toHaveLength(0);
    expect(hello.cipherSuites).toEqual([CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384]);
    expect(hello.legacyCompressionMethods).toEqual([0]);
    expect(hello.raw).toEqual(clientHelloMessage.subarray(4));
    // The message is the payload of the first record the client sends.
    expect(clientHelloMessage).toEqual(traceField(RFC, '{client}  send handshake record', 'payload'));

    const view = clientHelloExtensions(hello);
    expect(view.serverName).toBe('server');
    expect(view.keyShares).toEqual([{ group: NamedGroup.x25519, keyExchange: traceField(RFC, '{client}  create an ephemeral x25519 key pair', 'public key') }]);
    expect(view.supportedVersions).toEqual([0x0304]);
    expect(view.supportedGroups?.slice(0, 4)).toEqual([NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1]);
    expect(view.signatureAlgorithms?.[0]).toBe(SignatureScheme.ecdsa_secp256r1_sha256);
    expect(view.signatureAlgorithms).toContain(SignatureScheme.rsa_pss_rsae_sha256);
    expect(view.pskModes).toEqual([1]);
    expect(view.recordSizeLimit).toBe(0x4001);
    expect(view.types).toContain(ExtensionType.session_ticket);
    expect(view.types).toContain(ExtensionType.renegotiation_info);
    expect(view.preSharedKey).toBeUndefined();
    expect(view.earlyData).toBe(false);
  });

  it('ServerHello', () => {
    const hello = decodeServerHello(parseHandshake(serverHelloMessage).body);
    expect(isHelloRetryRequest(hello)).toBe(false);
    expect(hello.random).toEqual(serverHelloMessage.subarray(6, 38));
    expect(hello.cipherSuite).toBe(CipherSuite.TLS_AES_128_GCM_SHA256);
    expect(serverHelloExtensions(hello)).toEqual({
      types: [ExtensionType.key_share, ExtensionType.supported_versions],
      selectedVersion: 0x0304,
      keyShare: { group: NamedGroup.x25519, keyExchange: traceField(RFC, '{server}  create an ephemeral x25519 key pair', 'public key') },
      preSharedKey: undefined,
    });
    expect(serverHelloMessage).toEqual(botanField('Simple_1RTT_Handshake', 'Message_ServerHello'));
  });

  it('EncryptedExtensions', () => {
    const message = traceField(RFC, 'construct a EncryptedExtensions', 'EncryptedExtensions');
    expect(message).toEqual(botanField('Simple_1RTT_Handshake', 'Message_EncryptedExtensions'));
    const view = encryptedExtensionsView(decodeEncryptedExtensions(parseHandshake(message).body));
    expect(view.types).toEqual([ExtensionType.supported_groups, ExtensionType.record_size_limit, ExtensionType.server_name]);
    expect(view.serverNameAck).toBe(true);
    expect(view.recordSizeLimit).toBe(0x4001);
    expect(view.supportedGroups?.[0]).toBe(NamedGroup.x25519);
  });

  it('Certificate', () => {
    const message = traceField(RFC, 'construct a Certificate', 'Certificate');
    const certificate = decodeCertificate(parseHandshake(message).body);
    expect(certificate.certificateRequestContext).toHaveLength(0);
    expect(certificate.certificateList).toHaveLength(1);
    const entry = certificate.certificateList[0]!;
    // header(4) context(1) list length(3) cert_data length(3), then the DER; two bytes of empty extensions close it.
    expect(entry.certData).toEqual(message.subarray(11, message.length - 2));
    expect(entry.certData.subarray(0, 2)).toEqual(new Uint8Array([0x30, 0x82]));
    expect(entry.extensions).toEqual([]);
  });

  it('CertificateVerify, and the content it signs', () => {
    const message = traceField(RFC, 'construct a CertificateVerify', 'CertificateVerify');
    const verify = decodeCertificateVerify(parseHandshake(message).body);
    expect(verify.algorithm).toBe(SignatureScheme.rsa_pss_rsae_sha256);
    expect(verify.signature).toEqual(botanField('Simple_1RTT_Handshake', 'Server_MessageSignature'));
    const transcript = sha256(
      clientHelloMessage,
      serverHelloMessage,
      traceField(RFC, 'construct a EncryptedExtensions', 'EncryptedExtensions'),
      traceField(RFC, 'construct a Certificate', 'Certificate'),
    );
    expect(certificateVerifyContent('server', transcript)).toEqual(botanField('Simple_1RTT_Handshake', 'Server_MessageToSign'));
  });

  it('Finished carries the verify_data the trace computes', () => {
    expect(decodeFinished(body(RFC, '{server}  construct a Finished', 'Finished'), 32)).toEqual(
      traceField(RFC, '{server}  calculate finished', 'finished'),
    );
    expect(decodeFinished(body(RFC, '{client}  construct a Finished', 'Finished'), 32)).toEqual(
      traceField(RFC, '{client}  calculate finished', 'finished'),
    );
  });

  it('NewSessionTicket', () => {
    const message = traceField(RFC, 'construct a NewSessionTicket', 'NewSessionTicket');
    const ticket = decodeNewSessionTicket(parseHandshake(message).body);
    expect(ticket.ticketLifetime).toBe(30);
    expect(ticket.ticketAgeAdd).toBe(new DataView(message.buffer, message.byteOffset + 8).getUint32(0));
    expect(ticket.ticketNonce).toEqual(new Uint8Array(2));
    expect(ticket.ticket).toEqual(botanField('Simple_1RTT_Handshake', 'SessionTicket'));
    expect(newSessionTicketView(ticket)).toEqual({ types: [ExtensionType.early_data], maxEarlyDataSize: 1024 });
  });
});

describe('draft trace §5 HelloRetryRequest', () => {
  const S = 'section_5';
  const ch1 = traceField(S, 'construct a ClientHello', 'ClientHello', 0);
  const hrrMessage = traceField(S, 'construct a ServerHello', 'ServerHello', 0);
  const ch2 = traceField(S, 'construct a ClientHello', 'ClientHello', 1);

  it('the first ServerHello is a HelloRetryRequest asking for secp256r1, with a cookie', () => {
    const hrr = decodeServerHello(parseHandshake(hrrMessage).body);
    expect(isHelloRetryRequest(hrr)).toBe(true);
    expect(hrr.random).toEqual(sha256(new TextEncoder().encode('HelloRetryRequest')));
    const view = helloRetryRequestExtensions(hrr);
    expect(view.selectedVersion).toBe(0x0304);
    expect(view.selectedGroup).toBe(NamedGroup.secp256r1);
    // The message ends with the cookie extension's 114-byte cookie, then supported_versions (6 bytes).
    expect(view.cookie).toEqual(hrrMessage.subarray(hrrMessage.length - 6 - 114, hrrMessage.length - 6));
    expect(decodeServerHello(parseHandshake(traceField(S, 'construct a ServerHello', 'ServerHello', 1)).body).random).not.toEqual(hrr.random);
  });

  it('the second ClientHello keeps the random, echoes the cookie and offers a P-256 share', () => {
    const first = decodeClientHello(parseHandshake(ch1).body);
    const second = decodeClientHello(parseHandshake(ch2).body);
    expect(second.random).toEqual(ch1.subarray(6, 38));
    expect(second.random).toEqual(first.random);
    const view = clientHelloExtensions(second);
    expect(view.cookie).toEqual(helloRetryRequestExtensions(decodeServerHello(parseHandshake(hrrMessage).body)).cookie);
    expect(view.keyShares).toEqual([{ group: NamedGroup.secp256r1, keyExchange: traceField(S, '{client}  create an ephemeral P-256 key pair', 'public key') }]);
    expect(view.types).toContain(ExtensionType.padding);
    expect(clientHelloExtensions(first).cookie).toBeUndefined();
  });
});

describe('draft trace §6 client authentication', () => {
  const S = 'section_6';

  it('CertificateRequest asks for signature_algorithms with an empty context', () => {
    const message = traceField(S, 'construct a CertificateRequest', 'CertificateRequest');
    expect(message).toEqual(botanField('Client_Authentication_Handshake', 'Message_CertificateRequest'));
    const request = decodeCertificateRequest(parseHandshake(message).body);
    expect(request.certificateRequestContext).toHaveLength(0);
    const view = certificateRequestView(request);
    expect(view.types).toEqual([ExtensionType.signature_algorithms]);
    expect(view.signatureAlgorithms).toHaveLength((message.length - 4 - 1 - 2 - 4 - 2) / 2);
    expect(view.signatureAlgorithms[0]).toBe(SignatureScheme.ecdsa_secp256r1_sha256);
  });

  it("the client's Certificate and CertificateVerify", () => {
    const certificate = decodeCertificate(body(S, '{client}  construct a Certificate', 'Certificate'));
    expect(certificate.certificateRequestContext).toHaveLength(0);
    expect(certificate.certificateList).toHaveLength(1);
    expect(decodeCertificateVerify(body(S, '{client}  construct a CertificateVerify', 'CertificateVerify')).algorithm).toBe(SignatureScheme.rsa_pss_rsae_sha256);
  });
});

describe('draft trace §4 resumption with 0-RTT', () => {
  const S = 'section_4';
  const payload = traceField(S, '{client}  send handshake record', 'payload');
  const prefix = traceField(S, 'calculate PSK binder', 'ClientHello prefix');
  const binder = traceField(S, 'calculate PSK binder', 'finished');
  // The ticket of §3's NewSessionTicket: lifetime(4) age_add(4) nonce<1>, then ticket<2>.
  const nst = body('section_3', 'construct a NewSessionTicket', 'NewSessionTicket');
  const nonceEnd = 9 + nst[8]!;
  const ticket = nst.subarray(nonceEnd + 2, nonceEnd + 2 + ((nst[nonceEnd]! << 8) | nst[nonceEnd + 1]!));

  it('the ClientHello offers the §3 ticket with its binder, last, and early_data', () => {
    const hello = decodeClientHello(parseHandshake(payload).body);
    expect(hello.extensions.at(-1)?.type).toBe(ExtensionType.pre_shared_key);
    const view = clientHelloExtensions(hello);
    expect(view.earlyData).toBe(true);
    expect(view.pskModes).toEqual([1]);
    const offered = view.preSharedKey!;
    expect(offered.identities).toHaveLength(1);
    expect(offered.identities[0]!.identity).toEqual(ticket);
    // obfuscated_ticket_age = age in ms + ticket_age_add (mod 2^32): a small age here.
    const ageAdd = new DataView(nst.buffer, nst.byteOffset + 4).getUint32(0);
    expect((offered.identities[0]!.obfuscatedTicketAge - ageAdd) >>> 0).toBeLessThan(10_000);
    expect(offered.binders).toEqual([binder]);
  });

  it('truncatedClientHello is the prefix the binder is computed over (RFC 8446 §4.2.11.2)', () => {
    expect(truncatedClientHello(payload)).toEqual(prefix);
    expect(payload).toEqual(concatBytes(prefix, new Uint8Array([0x00, 0x21, 0x20]), binder));
  });

  it('clientHelloWithBinders puts the real binders in place of placeholders', () => {
    const placeholder = concatBytes(prefix, new Uint8Array([0x00, 0x21, 0x20]), new Uint8Array(32));
    expect(clientHelloWithBinders(placeholder, [binder])).toEqual(payload);
    expect(() => clientHelloWithBinders(placeholder, [binder.subarray(1)])).toThrow(RangeError);
  });

  it('the server accepts identity 0 and the early data; the client ends it with EndOfEarlyData', () => {
    const hello = decodeServerHello(body(S, 'construct a ServerHello', 'ServerHello'));
    expect(serverHelloExtensions(hello).preSharedKey).toBe(0);
    expect(encryptedExtensionsView(decodeEncryptedExtensions(body(S, 'construct a EncryptedExtensions', 'EncryptedExtensions'))).earlyData).toBe(true);
    expect(traceField(S, 'construct a EndOfEarlyData', 'EndOfEarlyData')).toEqual(encodeHandshake(HandshakeType.end_of_early_data, encodeEndOfEarlyData()));
  });
});

describe('draft trace §7 middlebox compatibility mode', () => {
  it('the client sends a 32-byte legacy_session_id and the server echoes it', () => {
    const clientHello = traceField('section_7', 'construct a ClientHello', 'ClientHello');
    const hello = decodeClientHello(parseHandshake(clientHello).body);
    expect(hello.legacySessionId).toEqual(clientHello.subarray(39, 71));
    expect(decodeServerHello(body('section_7', 'construct a ServerHello', 'ServerHello')).legacySessionIdEcho).toEqual(hello.legacySessionId);
  });
});
