import type { ErrorInfo } from './error-info.js';

/**
 * Errors as text in shared memory: how a browser worker's error reaches a caller that is blocked
 * in `Atomics.wait` and so cannot receive messages. Two areas per worker: its latest task error
 * (area `slot`), and why it died (area `workers + slot`, written by the supervisor). The writer
 * fills an area before it publishes RESULT_ERROR or DEAD in the control block (an atomic store,
 * which orders the plain writes before it); the caller reads it after it has seen that word.
 *
 * Layout per worker, in a Uint16Array: the length, then up to ERROR_CHARS UTF-16 code units of
 * `name \0 message \0 stack`, cut at ERROR_CHARS (so a long stack loses its tail first).
 */
export const ERROR_CHARS = 4095;

export function errorTextBytes(workers: number): number {
  return Uint16Array.BYTES_PER_ELEMENT * 2 * workers * (ERROR_CHARS + 1);
}

export function writeErrorText(areas: Uint16Array, area: number, info: ErrorInfo): void {
  const text = `${info.name}\0${info.message}\0${info.stack ?? ''}`;
  const base = area * (ERROR_CHARS + 1);
  const length = Math.min(text.length, ERROR_CHARS);
  for (let i = 0; i < length; i++) areas[base + 1 + i] = text.charCodeAt(i);
  areas[base] = length;
}

export function readErrorText(areas: Uint16Array, area: number): ErrorInfo {
  const base = area * (ERROR_CHARS + 1);
  const length = areas[base]!;
  let text = '';
  // In chunks: String.fromCharCode takes its code units as arguments.
  for (let i = 0; i < length; i += 1024) text += String.fromCharCode(...areas.subarray(base + 1 + i, base + 1 + Math.min(length, i + 1024)));
  const [name = 'Error', message = '', stack] = text.split('\0');
  const info: ErrorInfo = { name, message };
  if (stack !== undefined && stack !== '') info.stack = stack;
  return info;
}
