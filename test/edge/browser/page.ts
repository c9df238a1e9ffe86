/**
 * The browser test's page: puretls from the bundled library (`./puretls.js`,
 * imported as `puretls/ssl` and `puretls/edge`), TLS through a WebSocket
 * tunnel to `openssl s_server`. The test drives it with `page.evaluate`
 * through `window.puretlsTest`; every answer is plain JSON.
 */
import * as ssl from 'puretls/ssl';
import { open_websocket } from 'puretls/edge';

export interface EchoRequest {
  readonly url: string;
  readonly caPem: string;
  readonly hostname: string;
  /** 'TLSv1.3' or 'TLSv1.2': both minimum and maximum, so nothing else can be negotiated. */
  readonly version: 'TLSv1.3' | 'TLSv1.2';
  /** Bytes to send and expect back; the first are `marker`, the rest random. */
  readonly size: number;
  readonly marker: string;
  /** Hide `WebSocketStream`, so the plain `WebSocket` way is taken. */
  readonly plainWebSocket?: boolean;
}

export interface EchoAnswer {
  readonly version?: string | null;
  readonly cipher?: readonly [string, string, number] | null;
  readonly subject?: unknown;
  readonly sentSha256?: string;
  readonly receivedLength?: number;
  /** Every byte that came back equals the byte sent at the same offset. */
  readonly identical?: boolean;
  readonly error?: { name: string; message: string; verify_code: number | null; verify_message: string | null };
}

export interface PageApi {
  echo(request: EchoRequest): Promise<EchoAnswer>;
  /** What a page's scripts can see of Node: nothing. */
  readonly nodeGlobals: { process: string; Buffer: string; require: string };
  readonly webSocketStream: boolean;
}

/** `size` bytes: the marker, then `crypto.getRandomValues` (at most 65536 bytes per call). */
function payload(size: number, marker: string): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(size, i + 65536)));
  data.set(new TextEncoder().encode(marker));
  return data;
}

async function sha256(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads until `size` bytes came back (or the stream ended). */
async function receive(tls: ssl.SSLSocket, size: number): Promise<Uint8Array> {
  const received = new Uint8Array(size);
  let length = 0;
  while (length < size) {
    const chunk = await tls.recv(size - length);
    if (chunk.length === 0) break;
    received.set(chunk, length);
    length += chunk.length;
  }
  return received.subarray(0, length);
}

function errorAnswer(error: unknown): EchoAnswer {
  const e = error as ssl.SSLCertVerificationError;
  return { error: { name: e.name, message: e.message, verify_code: e.verify_code ?? null, verify_message: e.verify_message ?? null } };
}

async function withoutWebSocketStream<T>(hide: boolean, work: () => Promise<T>): Promise<T> {
  const scope = globalThis as { WebSocketStream?: unknown };
  const saved = scope.WebSocketStream;
  if (hide) delete scope.WebSocketStream;
  try {
    return await work();
  } finally {
    if (hide) scope.WebSocketStream = saved;
  }
}

async function echo(request: EchoRequest): Promise<EchoAnswer> {
  const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: request.caPem });
  context.minimum_version = context.maximum_version = ssl.TLSVersion[request.version === 'TLSv1.3' ? 'TLSv1_3' : 'TLSv1_2'];
  let tls: ssl.SSLSocket;
  try {
    const sock = await withoutWebSocketStream(request.plainWebSocket ?? false, () => open_websocket(request.url));
    tls = await context.wrap_socket(sock, { server_hostname: request.hostname });
  } catch (error) {
    return errorAnswer(error);
  }
  try {
    const sent = payload(request.size, request.marker);
    // Both ways at once: the echo comes back while we still send, as over any full-duplex socket.
    const [received] = await Promise.all([receive(tls, sent.length), tls.sendall(sent)]);
    return {
      version: tls.version(),
      cipher: tls.cipher(),
      subject: (tls.getpeercert() as { subject?: unknown }).subject,
      sentSha256: await sha256(sent),
      receivedLength: received.length,
      identical: received.length === sent.length && received.every((byte, i) => byte === sent[i]),
    };
  } catch (error) {
    return errorAnswer(error);
  } finally {
    await tls.close();
  }
}

const scope = globalThis as Record<string, unknown>;
const api: PageApi = {
  echo,
  nodeGlobals: { process: typeof scope.process, Buffer: typeof scope.Buffer, require: typeof scope.require },
  webSocketStream: typeof scope.WebSocketStream === 'function',
};
(globalThis as { puretlsTest?: PageApi }).puretlsTest = api;
