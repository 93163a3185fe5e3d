import { describeConformance } from '@scratchnet/backend/testing';
import { describe, it } from 'vitest';
import { WasmBackend } from '../src/index.js';

describeConformance('wasm, 1 thread, shared memory', () => new WasmBackend({ threads: 1 }), { describe, it });
// An ordinary memory detaches its buffer when it grows: a small initial memory makes the suite grow it often.
describeConformance('wasm, 1 thread, non-shared memory grown often', () => new WasmBackend({ sharedMemory: false, initialMemory: 0 }), { describe, it });
