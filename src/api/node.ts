/**
 * `puretls/node`: puretls as a Node `Duplex` for libraries that take a socket
 * (undici, pg, ws). Node-only; `puretls/ssl` stays runtime-neutral.
 *
 *   import { connect } from 'puretls/node';
 *   const tls = connect({ host: 'example.com', port: 443 });
 *   tls.on('secureConnect', () => console.log(tls.sslObject.version()));
 *
 *   import { Agent } from 'undici';
 *   const dispatcher = new Agent({ connect: undiciConnector(ssl.create_default_context()) });
 * @module
 */
export {
  connect,
  TLSDuplex,
  undiciConnector,
  wrapServerSocket,
  type ConnectOptions,
  type ServerSocketOptions,
  type TLSDuplexOptions,
  type UndiciConnectCallback,
  type UndiciConnectOptions,
} from './runtime/node-duplex.ts';
