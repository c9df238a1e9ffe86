/**
 * The record protection of one TLS 1.3 epoch: the traffic secret's
 * [sender]_write_key and [sender]_write_iv (RFC 8446 §7.3) under the suite's
 * AEAD (§5.2). The state machines build it and hand it to the connection, which
 * installs it without knowing which version made it.
 * @module
 */
import { protection13 } from '../record/protection13.ts';
import type { RecordProtection } from '../record/protection.ts';
import type { KeySchedule13 } from './key-schedule13.ts';

export function protection13ForSecret(schedule: KeySchedule13, trafficSecret: Uint8Array): RecordProtection {
  const keys = schedule.trafficKeys(trafficSecret);
  return protection13(schedule.provider, schedule.suite.aead, keys.key, keys.iv);
}
