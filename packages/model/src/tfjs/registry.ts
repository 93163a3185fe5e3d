import { ValueError } from '@scratchnet/tensor';
import { BUILT_IN_TRANSLATIONS } from './built-in-translations.js';
import type { TfjsExporter, TfjsImporter, TfjsTranslation } from './translation.js';

/**
 * The translation table, both directions: exporters by our class name, importers by Keras class
 * name. Module-level (nothing registers itself on import): the built-ins, then what
 * `registerTfjsLayer` adds.
 */
const exporters = new Map<string, TfjsExporter>();
const importers = new Map<string, TfjsImporter>();

function add(translation: TfjsTranslation): void {
  if (translation.className !== undefined) exporters.set(translation.className, translation.toTfjs!);
  if (translation.kerasClassName !== undefined) importers.set(translation.kerasClassName, translation.fromTfjs!);
}

for (const translation of BUILT_IN_TRANSLATIONS) add(translation);

/**
 * Teaches `toTfjsArtifacts` and/or `fromTfjsArtifacts` a layer class of your own (register the
 * class itself with `registerLayer` too, and on the TensorFlow.js side with
 * `tf.serialization.registerClass`). A class already translated is an error unless `replace`.
 */
export function registerTfjsLayer(translation: TfjsTranslation, options: { replace?: boolean } = {}): void {
  if (translation === null || typeof translation !== 'object') throw new ValueError('registerTfjsLayer: expected { className, toTfjs } and/or { kerasClassName, fromTfjs }');
  const { className, toTfjs, kerasClassName, fromTfjs } = translation;
  const exporting = className !== undefined || toTfjs !== undefined;
  const importing = kerasClassName !== undefined || fromTfjs !== undefined;
  if (!exporting && !importing) throw new ValueError('registerTfjsLayer: expected { className, toTfjs } and/or { kerasClassName, fromTfjs }');
  if (exporting && (typeof className !== 'string' || className === '' || typeof toTfjs !== 'function')) {
    throw new ValueError('registerTfjsLayer: an export needs className (a non-empty string) and toTfjs (a function)');
  }
  if (importing && (typeof kerasClassName !== 'string' || kerasClassName === '' || typeof fromTfjs !== 'function')) {
    throw new ValueError('registerTfjsLayer: an import needs kerasClassName (a non-empty string) and fromTfjs (a function)');
  }
  if (options.replace !== true) {
    if (exporting && exporters.has(className!)) throw new ValueError(`registerTfjsLayer: ${className} already exports; pass { replace: true } to replace it`);
    if (importing && importers.has(kerasClassName!)) throw new ValueError(`registerTfjsLayer: Keras ${kerasClassName} already imports; pass { replace: true } to replace it`);
  }
  add(translation);
}

export function exporterFor(className: string): TfjsExporter | undefined {
  return exporters.get(className);
}

export function importerFor(kerasClassName: string): TfjsImporter | undefined {
  return importers.get(kerasClassName);
}
