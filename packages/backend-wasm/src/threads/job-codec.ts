import { JS_KERNEL_NAMES, WASM_KERNELS, type Job, type JsKernel, type WasmKernel } from '../kernels/jobs.js';
import {
  JOB_F64,
  JOB_JS,
  JOB_KERNEL,
  JOB_KIND,
  JOB_PIECE,
  JOB_TEXT_LENGTH,
  JOB_WASM,
  MAX_ARGS,
  MAX_TEXT,
  type ControlViews,
} from './control-block.js';

/** A job as a worker reads it back from the control block. */
export type DecodedJob =
  | { readonly type: 'wasm'; readonly kernel: WasmKernel; readonly f64: boolean; readonly args: Float64Array; readonly piece: number }
  | { readonly type: 'js'; readonly kernel: JsKernel; readonly args: object; readonly piece: number };

const ARRAY_TYPES = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;
type ArrayTag = keyof typeof ARRAY_TYPES;

function tagOf(array: ArrayBufferView): ArrayTag {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Int32Array) return 'i32';
  throw new Error(`wasm backend: a job argument is a ${array.constructor.name}, not a tensor view`);
}

/**
 * A JavaScript job's arguments as JSON: each typed array (a view of the backend's memory) becomes
 * its type, address and length, to be viewed again over the same memory in the worker; numbers
 * JSON cannot hold (±Infinity, NaN, -0) are spelled out.
 */
export function encodeJsArgs(args: object): string {
  return JSON.stringify(args, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value)) return { '@': tagOf(value), o: value.byteOffset, n: (value as Float32Array).length };
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) return { '#': Object.is(value, -0) ? '-0' : String(value) };
    return value;
  });
}

export function decodeJsArgs(text: string, buffer: ArrayBufferLike): object {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object') {
      const v = value as { '@'?: ArrayTag; o?: number; n?: number; '#'?: string };
      if (v['@'] !== undefined) return new (ARRAY_TYPES[v['@']] as unknown as new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView)(buffer, v.o!, v.n!);
      if (v['#'] !== undefined) return v['#'] === '-0' ? -0 : Number(v['#']);
    }
    return value;
  }) as object;
}

/** Writes `job` into the block for the workers; false when it does not fit (then it runs on the caller alone). */
export function writeJob(views: ControlViews, job: Job, piece: number): boolean {
  const { words } = views;
  if (job.type === 'wasm') {
    if (job.args.length > MAX_ARGS) return false;
    views.args.set(job.args);
    words[JOB_KIND] = JOB_WASM;
    words[JOB_KERNEL] = WASM_KERNELS.indexOf(job.kernel);
    words[JOB_F64] = job.f64 ? 1 : 0;
  } else {
    const text = encodeJsArgs(job.args);
    if (text.length > MAX_TEXT) return false;
    for (let i = 0; i < text.length; i++) views.text[i] = text.charCodeAt(i);
    words[JOB_KIND] = JOB_JS;
    words[JOB_KERNEL] = JS_KERNEL_NAMES.indexOf(job.kernel);
    words[JOB_TEXT_LENGTH] = text.length;
  }
  words[JOB_PIECE] = piece;
  return true;
}

/** The job the block holds (read after the job number changed, so the caller's writes are visible). */
export function readJob(views: ControlViews, buffer: ArrayBufferLike): DecodedJob {
  const { words } = views;
  const piece = words[JOB_PIECE]!;
  if (words[JOB_KIND] === JOB_WASM) {
    return { type: 'wasm', kernel: WASM_KERNELS[words[JOB_KERNEL]!]!, f64: words[JOB_F64] === 1, args: views.args, piece };
  }
  const length = words[JOB_TEXT_LENGTH]!;
  let text = '';
  // In chunks: String.fromCharCode takes its code units as arguments.
  for (let i = 0; i < length; i += 4096) text += String.fromCharCode(...views.text.subarray(i, Math.min(length, i + 4096)));
  return { type: 'js', kernel: JS_KERNEL_NAMES[words[JOB_KERNEL]!]!, args: decodeJsArgs(text, buffer), piece };
}
