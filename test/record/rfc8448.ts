/**
 * Reads the RFC 8448 Section 3 trace from vectors/rfc8448 and picks out the
 * record-layer values.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/wire/bytes.ts';

interface Step {
  readonly label: string;
  readonly fields: readonly { readonly name: string; readonly hex: string }[];
}

const trace = JSON.parse(readFileSync(new URL('../../vectors/rfc8448/rfc8448.json', import.meta.url), 'utf8')) as {
  rfc8448: { section_3_simple_1rtt: { steps: Step[] } };
};
const steps = trace.rfc8448.section_3_simple_1rtt.steps;

/** The `occurrence`-th step (0-based) with this exact label. */
function step(label: string, occurrence = 0): Step {
  const found = steps.filter((s) => s.label === label)[occurrence];
  if (!found) throw new Error(`RFC 8448 trace has no step ${label} #${occurrence}`);
  return found;
}

function field(s: Step, name: string): Uint8Array {
  const f = s.fields.find((x) => x.name === name);
  if (!f) throw new Error(`step ${s.label} has no field ${name}`);
  return fromHex(f.hex);
}

export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

function keys(label: string): TrafficKeys {
  const s = step(label);
  return { key: field(s, 'key expanded'), iv: field(s, 'iv expanded') };
}

export interface TraceRecord {
  readonly payload: Uint8Array;
  readonly record: Uint8Array;
}

function rec(label: string, occurrence = 0): TraceRecord {
  const s = step(label, occurrence);
  return { payload: field(s, 'payload'), record: field(s, 'complete record') };
}

export const rfc8448 = {
  serverHandshakeKeys: keys('{server}  derive write traffic keys for handshake data'),
  clientHandshakeKeys: keys('{server}  derive read traffic keys for handshake data'),
  serverApplicationKeys: keys('{server}  derive write traffic keys for application data'),
  clientApplicationKeys: keys('{client}  derive write traffic keys for application data'),
  clientHello: rec('{client}  send handshake record', 0),
  clientFinished: rec('{client}  send handshake record', 1),
  serverHello: rec('{server}  send handshake record', 0),
  serverFlight: rec('{server}  send handshake record', 1),
  newSessionTicket: rec('{server}  send handshake record', 2),
  clientApplicationData: rec('{client}  send application_data record'),
  serverApplicationData: rec('{server}  send application_data record'),
  clientAlert: rec('{client}  send alert record'),
  serverAlert: rec('{server}  send alert record'),
};
