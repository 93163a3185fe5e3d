export type Align = 'left' | 'right';

/**
 * Rows of cells as aligned plain text: columns as wide as their widest cell, two spaces apart,
 * numbers right-aligned by default. A header, when given, is underlined with dashes.
 */
export function formatTable(rows: readonly (readonly string[])[], options: { header?: readonly string[]; align?: readonly Align[] } = {}): string {
  const all = options.header ? [options.header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((w, c) => {
        const cell = cells[c] ?? '';
        return (options.align?.[c] ?? 'right') === 'left' ? cell.padEnd(w) : cell.padStart(w);
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (options.header) {
    out.push(line(options.header));
    out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}
