/**
 * Certificate and CRL times (RFC 5280 §4.1.2.5): UTCTime as YYMMDDHHMMSSZ with
 * the 1950–2049 window (§4.1.2.5.1), GeneralizedTime as YYYYMMDDHHMMSSZ with
 * no fractional seconds (§4.1.2.5.2). Anything looser (no seconds, offsets,
 * fractions, impossible dates) is rejected. The result is whole seconds since
 * the Unix epoch, negative before 1970.
 * @module
 */
import { type DerNode, contentsOf } from './der.ts';
import { X509ParseError } from './errors.ts';
import { latin1 } from './names.ts';

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

const UTC_FORMAT = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_FORMAT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** Seconds since the epoch of a Time node (UTCTime or GeneralizedTime). */
export function parseTime(node: DerNode, field: string): number {
  const tag = node.valueBeforeDecodeView[0];
  const text = latin1(contentsOf(node));
  const match = tag === UTC_TIME ? UTC_FORMAT.exec(text) : tag === GENERALIZED_TIME ? GENERALIZED_FORMAT.exec(text) : null;
  if (match === null) throw new X509ParseError(field, `not an RFC 5280 time: ${JSON.stringify(text)}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const fullYear = tag === UTC_TIME ? (year >= 50 ? 1900 + year : 2000 + year) : year;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(fullYear, month) || hour > 23 || minute > 59 || second > 59) {
    throw new X509ParseError(field, `impossible date ${text}`);
  }
  return ((daysFromCivil(fullYear, month, day) * 24 + hour) * 60 + minute) * 60 + second;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
