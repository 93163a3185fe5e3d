/**
 * An error as plain data, for `postMessage`: errors that cross threads do not reliably keep their
 * message when cloned.
 */
export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error !== null && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
    const info: ErrorInfo = { name: String(e.name ?? 'Error'), message: String(e.message ?? '') };
    if (typeof e.stack === 'string') info.stack = e.stack;
    if (typeof e.code === 'string') info.code = e.code;
    return info;
  }
  return { name: 'Error', message: String(error) };
}

/** An Error again, with the original's name, message, stack and code. */
export function toError(info: ErrorInfo): Error {
  const error = new Error(info.message);
  error.name = info.name;
  if (info.stack !== undefined) error.stack = info.stack;
  if (info.code !== undefined) (error as Error & { code?: string }).code = info.code;
  return error;
}
