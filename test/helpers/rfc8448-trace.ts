/**
 * Access to the RFC 8448 traces in vectors/rfc8448 (NOTICE.md there):
 * the published Section 3 and the five scenarios of the final draft, as ordered
 * steps with named hex fields.
 * @module
 */
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/wire/bytes.ts';

export interface Step {
  readonly label: string;
  readonly fields: readonly { readonly name: string; readonly hex?: string }[];
}

const json = JSON.parse(readFileSync(new URL('../../vectors/rfc8448/rfc8448.json', import.meta.url), 'utf8')) as {
  rfc8448: { section_3_simple_1rtt: { steps: Step[] } };
  draft_trace: Record<string, { title: string; steps: Step[] }>;
};

export class Trace {
  readonly name: string;
  readonly steps: readonly Step[];

  constructor(name: string, steps: readonly Step[]) {
    this.name = name;
    this.steps = steps;
  }

  /** The hex field `name` of the `occurrence`-th step whose label starts with `label`. */
  field(label: string, name: string, occurrence = 0): Uint8Array {
    const step = this.steps.filter((s) => s.label.startsWith(label))[occurrence];
    const hex = step?.fields.find((f) => f.name === name)?.hex;
    if (hex === undefined) throw new Error(`${this.name}: no field ${name} in step ${label} #${occurrence}`);
    return fromHex(hex);
  }

  has(label: string, occurrence = 0): boolean {
    return this.steps.filter((s) => s.label.startsWith(label)).length > occurrence;
  }

  /** Every value of field `name` in steps whose label starts with `label`, in order. */
  all(label: string, name: string): Uint8Array[] {
    return this.steps
      .filter((s) => s.label.startsWith(label))
      .flatMap((s) => s.fields.filter((f) => f.name === name && f.hex !== undefined).map((f) => fromHex(f.hex!)));
  }
}

export const published = new Trace('RFC 8448 §3', json.rfc8448.section_3_simple_1rtt.steps);

export function draft(section: 3 | 4 | 5 | 6 | 7): Trace {
  const s = json.draft_trace[`section_${section}`]!;
  return new Trace(`draft §${section} ${s.title}`, s.steps);
}
