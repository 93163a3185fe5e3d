import { ModelFormatError } from './model-format-error.js';

/** Keys that reach an object's prototype when assigned: refused anywhere in a manifest. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Parses untrusted manifest text. The reviver refuses prototype-reaching keys while parsing, so
 * no object holding one ever exists; malformed JSON, and nesting deep enough to overflow the
 * stack, become ModelFormatErrors naming `file`.
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.includes(key)) throw new ForbiddenKey(key);
      return value;
    });
  } catch (error) {
    if (error instanceof ForbiddenKey) {
      throw new ModelFormatError(file, undefined, `key ${JSON.stringify(error.key)} is not allowed anywhere in a manifest`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFormatError(file, undefined, `not valid JSON (${reason})`, { cause: error });
  }
}

/**
 * Throws a ModelFormatError naming the path of the first forbidden key inside `value` — for
 * manifests handed over as objects (the in-memory handler), which never went through `parseJson`.
 */
export function assertNoForbiddenKeys(value: unknown, file: string, path = ''): void {
  const seen = new Set<object>();
  const visit = (v: unknown, at: string, depth: number): void => {
    if (v === null || typeof v !== 'object') return;
    if (depth > 64) throw new ModelFormatError(file, at, 'nested more than 64 levels deep');
    if (seen.has(v)) throw new ModelFormatError(file, at, 'refers to itself (a manifest must be plain JSON)');
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${at}[${i}]`, depth + 1));
    } else {
      for (const key of Object.keys(v)) {
        const child = at === '' ? key : `${at}.${key}`;
        if (FORBIDDEN_KEYS.includes(key)) throw new ModelFormatError(file, child, `key ${JSON.stringify(key)} is not allowed`);
        visit((v as Record<string, unknown>)[key], child, depth + 1);
      }
    }
    seen.delete(v);
  };
  visit(value, path, 0);
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}
