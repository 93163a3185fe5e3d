import { sharedConfig } from '../../vitest.shared.ts';

// The CLI tests run the whole bench (--quick) in child processes: seconds on a quiet machine,
// over 30 s on a busy one.
export default sharedConfig({ testTimeout: 180_000 });
