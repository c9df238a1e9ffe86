/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1): early, handshake and master
 * secrets, traffic secrets, Finished keys, exporters (§7.5), resumption
 * (§4.6.1) and traffic-secret updates (§7.2). Each stage is a value holding only
 * the secret of that stage, so a later secret cannot be derived out of order.
 * @module
 */
import { deriveSecret, hkdfExpandLabel, hkdfExtract } from '../crypto/hkdf.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { Suite13 } from './suites.ts';

export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/** A key-log sink (NSS SSLKEYLOGFILE labels). */
export type SecretLog = (label: string, secret: Uint8Array) => void;

export interface HandshakeTrafficSecrets {
  readonly handshakeSecret: Uint8Array;
  readonly client: Uint8Array;
  readonly server: Uint8Array;
}

export interface ApplicationSecrets {
  readonly masterSecret: Uint8Array;
  readonly client: Uint8Array;
  readonly server: Uint8Array;
  readonly exporter: Uint8Array;
}

export class KeySchedule13 {
  readonly provider: CryptoProvider;
  readonly suite: Suite13;

  constructor(provider: CryptoProvider, suite: Suite13) {
    this.provider = provider;
    this.suite = suite;
  }

  get hashLength(): number {
    return this.provider.hash(this.suite.hash).outputLength;
  }

  #zeros(): Uint8Array {
    return new Uint8Array(this.hashLength);
  }

  #emptyHash(): Uint8Array {
    return this.provider.hash(this.suite.hash).digest(new Uint8Array(0));
  }

  derive(secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
    return deriveSecret(this.provider, this.suite.hash, secret, label, transcriptHash);
  }

  expandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
    return hkdfExpandLabel(this.provider, this.suite.hash, secret, label, context, length);
  }

  /** Early Secret = HKDF-Extract(0, PSK), with PSK all zeros when none is used. */
  earlySecret(psk?: Uint8Array): Uint8Array {
    return hkdfExtract(this.provider, this.suite.hash, this.#zeros(), psk ?? this.#zeros());
  }

  /** Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE). */
  handshakeSecret(earlySecret: Uint8Array, sharedSecret: Uint8Array): Uint8Array {
    return hkdfExtract(this.provider, this.suite.hash, this.derive(earlySecret, 'derived', this.#emptyHash()), sharedSecret);
  }

  /** Master Secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0). */
  masterSecret(handshakeSecret: Uint8Array): Uint8Array {
    return hkdfExtract(this.provider, this.suite.hash, this.derive(handshakeSecret, 'derived', this.#emptyHash()), this.#zeros());
  }

  /** The handshake secret and both handshake traffic secrets, over Transcript-Hash(ClientHello..ServerHello). */
  handshakeTraffic(sharedSecret: Uint8Array, transcriptHash: Uint8Array, log: SecretLog): HandshakeTrafficSecrets {
    const handshakeSecret = this.handshakeSecret(this.earlySecret(), sharedSecret);
    const client = this.derive(handshakeSecret, 'c hs traffic', transcriptHash);
    const server = this.derive(handshakeSecret, 's hs traffic', transcriptHash);
    log('CLIENT_HANDSHAKE_TRAFFIC_SECRET', client);
    log('SERVER_HANDSHAKE_TRAFFIC_SECRET', server);
    return { handshakeSecret, client, server };
  }

  /** The master secret, both application traffic secrets and the exporter secret, over Transcript-Hash(ClientHello..server Finished). */
  applicationTraffic(handshakeSecret: Uint8Array, transcriptHash: Uint8Array, log: SecretLog): ApplicationSecrets {
    const masterSecret = this.masterSecret(handshakeSecret);
    const client = this.derive(masterSecret, 'c ap traffic', transcriptHash);
    const server = this.derive(masterSecret, 's ap traffic', transcriptHash);
    const exporter = this.derive(masterSecret, 'exp master', transcriptHash);
    log('CLIENT_TRAFFIC_SECRET_0', client);
    log('SERVER_TRAFFIC_SECRET_0', server);
    log('EXPORTER_SECRET', exporter);
    return { masterSecret, client, server, exporter };
  }

  /** [sender]_write_key and [sender]_write_iv (RFC 8446 §7.3). */
  trafficKeys(trafficSecret: Uint8Array): TrafficKeys {
    return {
      key: this.expandLabel(trafficSecret, 'key', new Uint8Array(0), this.suite.keyLength),
      iv: this.expandLabel(trafficSecret, 'iv', new Uint8Array(0), 12),
    };
  }

  /** application_traffic_secret_N+1 (RFC 8446 §7.2). */
  nextTrafficSecret(secret: Uint8Array): Uint8Array {
    return this.expandLabel(secret, 'traffic upd', new Uint8Array(0), this.hashLength);
  }

  /** verify_data = HMAC(finished_key, Transcript-Hash(...)) (RFC 8446 §4.4.4). */
  finishedVerifyData(baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
    const finishedKey = this.expandLabel(baseKey, 'finished', new Uint8Array(0), this.hashLength);
    return this.provider.hmac(this.suite.hash, finishedKey, transcriptHash);
  }

  /** The PSK a ticket stands for: HKDF-Expand-Label(resumption_master_secret, "resumption", nonce) (§4.6.1). */
  resumptionPsk(resumptionMasterSecret: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
    return this.expandLabel(resumptionMasterSecret, 'resumption', ticketNonce, this.hashLength);
  }

  /** TLS-Exporter(label, context, length) (RFC 8446 §7.5). */
  exporter(exporterMasterSecret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
    const secret = this.derive(exporterMasterSecret, label, this.#emptyHash());
    const contextHash = this.provider.hash(this.suite.hash).digest(context);
    return this.expandLabel(secret, 'exporter', contextHash, length);
  }
}
