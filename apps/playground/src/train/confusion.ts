/**
 * The confusion matrix as a table: `matrix[true][predicted]` counts, each cell shaded by its
 * share of its row (the diagonal green, mistakes red), with each row's recall at the end.
 */
export function renderConfusion(container: HTMLElement, matrix: number[][] | null): void {
  const table = document.createElement('table');
  table.className = 'confusion';
  const head = table.createTHead().insertRow();
  head.append(cell('th', 'true \\ pred'));
  for (let p = 0; p < 10; p++) head.append(cell('th', String(p)));
  head.append(cell('th', 'recall'));
  const body = table.createTBody();
  for (let t = 0; t < 10; t++) {
    const row = body.insertRow();
    row.append(cell('th', String(t)));
    const counts = matrix?.[t] ?? new Array<number>(10).fill(0);
    const total = counts.reduce((a, b) => a + b, 0);
    counts.forEach((count, p) => {
      const td = cell('td', matrix === null ? '' : String(count));
      const share = total === 0 ? 0 : count / total;
      if (count > 0) td.style.background = t === p ? `rgba(34, 197, 94, ${0.15 + 0.6 * share})` : `rgba(239, 68, 68, ${Math.min(0.75, 0.12 + 3 * share)})`;
      row.append(td);
    });
    row.append(cell('td', matrix === null || total === 0 ? '' : (counts[t]! / total).toFixed(3)));
  }
  container.replaceChildren(table);
}

function cell(tag: 'td' | 'th', text: string): HTMLTableCellElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}
