/**
 * The `OSError` subclasses of Python's socket module (PEP 3151), with errno
 * and text as CPython on Linux gives them, and `socketError()`, which picks
 * the subclass for an errno as `OSError(errno, strerror)` does in Python.
 * @module
 */
import { OSError, osError } from '../exceptions.ts';

/** Python's `ConnectionError`, the base of the four below. */
export class ConnectionError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'ConnectionError';
  }
}

/** EPIPE: writing to a connection the peer (or `shutdown(SHUT_WR)`) closed. */
export class BrokenPipeError extends ConnectionError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'BrokenPipeError';
  }
}

export class ConnectionAbortedError extends ConnectionError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'ConnectionAbortedError';
  }
}

export class ConnectionRefusedError extends ConnectionError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'ConnectionRefusedError';
  }
}

export class ConnectionResetError extends ConnectionError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'ConnectionResetError';
  }
}

/** Python's `TimeoutError`; `socket.timeout` is the same class (3.10+). A socket timeout is `TimeoutError('timed out')`. */
export class TimeoutError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'TimeoutError';
  }
}

/** EAGAIN on a non-blocking socket (`setblocking(false)`) that has nothing to give. */
export class BlockingIOError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'BlockingIOError';
  }
}

/** `socket.gaierror`: a name resolution failure, with getaddrinfo's (negative) code. */
export class gaierror extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'gaierror';
  }
}

/** Linux errno values and strerror texts (CPython reports these on Linux). */
export const ERRNO = {
  EPIPE: [32, 'Broken pipe'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  EBADF: [9, 'Bad file descriptor'],
  EINVAL: [22, 'Invalid argument'],
  EADDRINUSE: [98, 'Address already in use'],
  EADDRNOTAVAIL: [99, 'Cannot assign requested address'],
  ENETUNREACH: [101, 'Network is unreachable'],
  ECONNABORTED: [103, 'Software caused connection abort'],
  ECONNRESET: [104, 'Connection reset by peer'],
  EISCONN: [106, 'Transport endpoint is already connected'],
  ENOTCONN: [107, 'Transport endpoint is not connected'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTUNREACH: [113, 'No route to host'],
  EACCES: [13, 'Permission denied'],
} as const satisfies Record<string, readonly [number, string]>;

/** getaddrinfo's EAI_* codes as glibc numbers them, with gai_strerror's text. */
export const EAI = {
  EAI_NONAME: [-2, 'Name or service not known'],
  EAI_AGAIN: [-3, 'Temporary failure in name resolution'],
  EAI_FAIL: [-4, 'Non-recoverable failure in name resolution'],
  EAI_NODATA: [-5, 'No address associated with hostname'],
} as const satisfies Record<string, readonly [number, string]>;

/** `OSError(errno, strerror)` as Python makes it: the PEP 3151 subclass for the errno. */
export function socketError(errno: number, strerror: string): OSError {
  switch (errno) {
    case 32:
      return new BrokenPipeError(errno, strerror);
    case 11:
      return new BlockingIOError(errno, strerror);
    case 103:
      return new ConnectionAbortedError(errno, strerror);
    case 104:
      return new ConnectionResetError(errno, strerror);
    case 110:
      return new TimeoutError(errno, strerror);
    case 111:
      return new ConnectionRefusedError(errno, strerror);
    default:
      return osError(errno, strerror);
  }
}

/** The exception for a named errno (`errnoError('ENOTCONN')`). */
export function errnoError(name: keyof typeof ERRNO): OSError {
  const [errno, strerror] = ERRNO[name];
  return socketError(errno, strerror);
}

/** What a blocking call raises when the socket's timeout passes: `TimeoutError('timed out')`, or EAGAIN when non-blocking. */
export function timeoutError(timeout: number): OSError {
  return timeout === 0 ? errnoError('EAGAIN') : new TimeoutError('timed out');
}
