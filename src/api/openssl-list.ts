/**
 * OpenSSL's `CONF_parse_list(text, ':', nospc=1, ...)`, which
 * `SSL_CTX_set_ciphersuites`, `SSL_CTX_set1_groups_list` and
 * `SSL_CTX_set1_sigalgs_list` use to split their argument: elements between
 * colons, each with surrounding whitespace (C `isspace`) removed. Empty
 * elements are kept; each caller decides what they mean.
 * @module
 */
import { ValueError } from './exceptions.ts';

const C_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/** The colon-separated elements of an OpenSSL list string, trimmed. */
export function opensslListElements(text: string): string[] {
  return text.split(':').map((element) => element.replace(C_SPACE, ''));
}

/** CPython refuses a `str` argument holding NUL before OpenSSL sees it (`PyArg_Parse` "s" format). */
export function refuseEmbeddedNul(text: string, what = 'character'): void {
  if (text.includes('\0')) throw new ValueError(`embedded null ${what}`);
}
