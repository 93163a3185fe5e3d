import { ValueError } from '@scratchnet/tensor';
import { onesInitializer, zerosInitializer } from './constant.js';
import { glorotNormal } from './glorot-normal.js';
import { glorotUniform } from './glorot-uniform.js';
import { heNormal } from './he-normal.js';
import { heUniform } from './he-uniform.js';
import type { Initializer, InitializerName } from './initializer.js';

export type { Initializer, InitializerContext, InitializerName } from './initializer.js';
export { heNormal, heUniform, glorotNormal, glorotUniform, zerosInitializer, onesInitializer };

const INITIALIZERS: Record<InitializerName, Initializer> = {
  heNormal,
  heUniform,
  glorotNormal,
  glorotUniform,
  zeros: zerosInitializer,
  ones: onesInitializer,
};

/** Every {@link InitializerName}, e.g. to offer the choices or check one read from a config. */
export const INITIALIZER_NAMES = Object.keys(INITIALIZERS) as InitializerName[];

/** The initializer called `name`; a ValueError naming `owner` and the choices otherwise. */
export function getInitializer(owner: string, name: unknown): Initializer {
  if (typeof name !== 'string' || !Object.hasOwn(INITIALIZERS, name)) {
    throw new ValueError(`${owner}: unknown initializer ${JSON.stringify(name)}; expected one of ${INITIALIZER_NAMES.join(', ')}`);
  }
  return INITIALIZERS[name as InitializerName];
}
