/** The engine fuzzer over the TLS 1.2 sessions (`engine-fuzz-suite.ts`). */
import { describeEngineFuzz } from './engine-fuzz-suite.ts';
import { SCENARIOS12 } from './scenarios.ts';

describeEngineFuzz(SCENARIOS12);
