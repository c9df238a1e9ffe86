/** The engine fuzzer over the TLS 1.3 sessions (`engine-fuzz-suite.ts`). */
import { describeEngineFuzz } from './engine-fuzz-suite.ts';
import { SCENARIOS13 } from './scenarios.ts';

describeEngineFuzz(SCENARIOS13);
