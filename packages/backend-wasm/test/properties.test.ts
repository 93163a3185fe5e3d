import { describeOpProperties } from '../../../test-support/op-properties.js';
import { WasmBackend as SourceBackend } from '../src/index.js';
import { WasmBackend } from './built.js';

describeOpProperties('wasm, 1 thread, non-shared memory grown often', () => new SourceBackend({ sharedMemory: false, initialMemory: 0 }));
describeOpProperties('wasm, 2 threads, everything split', () => new WasmBackend({ threads: 2, inlineThreshold: 0 }));
