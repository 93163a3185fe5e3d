/**
 * This package's one import side effect (declared in package.json `sideEffects`): the cpu backend
 * becomes active when the application has chosen none, so `scratchnet` computes out of the box.
 * A backend set earlier is kept; `setBackend()` afterwards replaces the cpu one as usual.
 */
import { currentBackend, setBackend } from '@scratchnet/backend';
import { CpuBackend } from '@scratchnet/backend-cpu';

if (currentBackend() === undefined) setBackend(new CpuBackend());
