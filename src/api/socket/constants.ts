/** The socket module's constants, with Linux's values (as CPython on Linux). */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const IPPROTO_TCP = 6;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export const has_ipv6 = true;
