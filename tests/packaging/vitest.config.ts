import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(sharedConfig({ testTimeout: 120_000 }), {
  test: { globalSetup: ['./test/global-setup.ts'], hookTimeout: 180_000 },
});
