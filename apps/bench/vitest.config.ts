import { sharedConfig } from '../../vitest.shared.ts';

// The CLI tests run the whole bench (--quick) in child processes: seconds on a quiet machine,
// over 30 s on a busy one, and past two minutes at a load average of 40 (measured with five
// contender processes; there are seven since the wasm rows).
export default sharedConfig({ testTimeout: 360_000 });
