/**
 * TEMPORARY, until `SSLContext.wrap_socket` lands: an `SSLObject` over
 * `MemoryBIO`s driven over a `puretls/socket` socket, offering the few
 * `SSLSocket` methods the commands use, under the same names, so replacing
 * it with `wrap_socket` changes only the construction.
 * @module
 */
import * as ssl from 'puretls/ssl';
import type * as socket from 'puretls/socket';

type Sock = InstanceType<typeof socket.socket>;

export class BioTls {
  readonly #sock: Sock;
  readonly #incoming = new ssl.MemoryBIO();
  readonly #outgoing = new ssl.MemoryBIO();
  readonly sslobj: ssl.SSLObject;

  constructor(context: ssl.SSLContext, sock: Sock, serverSide: boolean, serverHostname: string | null) {
    this.#sock = sock;
    this.sslobj = context.wrap_bio(this.#incoming, this.#outgoing, { server_side: serverSide, server_hostname: serverHostname });
  }

  do_handshake(): Promise<null> {
    return this.#retry(() => this.sslobj.do_handshake());
  }

  /** Up to `n` bytes; empty at the peer's close_notify. */
  async recv(n: number): Promise<Uint8Array> {
    try {
      return (await this.#retry(() => this.sslobj.read(n))) as Uint8Array;
    } catch (error) {
      if (error instanceof ssl.SSLZeroReturnError) return new Uint8Array(0);
      throw error;
    }
  }

  async sendall(data: Uint8Array): Promise<null> {
    for (let offset = 0; offset < data.length; ) offset += await this.#retry(() => this.sslobj.write(data.subarray(offset)));
    return null;
  }

  async close(): Promise<void> {
    try {
      this.sslobj.unwrap();
    } catch {
      // The close_notify is queued even when unwrap wants the peer's.
    }
    await this.#flush().catch(() => undefined);
    await this.#sock.close();
  }

  version = (): string | null => this.sslobj.version();
  cipher = (): ReturnType<ssl.SSLObject['cipher']> => this.sslobj.cipher();
  selected_alpn_protocol = (): string | null => this.sslobj.selected_alpn_protocol();
  getpeercert = (): ReturnType<ssl.SSLObject['getpeercert']> => this.sslobj.getpeercert();

  async #retry<T>(operation: () => T): Promise<T> {
    for (;;) {
      try {
        const result = operation();
        await this.#flush();
        return result;
      } catch (error) {
        await this.#flush();
        if (!(error instanceof ssl.SSLWantReadError)) throw error;
        const data = await this.#sock.recv(65536);
        if (data.length === 0) this.#incoming.write_eof();
        else this.#incoming.write(data);
      }
    }
  }

  async #flush(): Promise<void> {
    const data = this.#outgoing.read();
    if (data.length > 0) await this.#sock.sendall(data);
  }
}
