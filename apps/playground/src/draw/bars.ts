/**
 * The ten class probabilities as horizontal bars, the most likely highlighted; with none (a
 * blank pad), empty bars.
 */
export function renderBars(container: HTMLElement, probabilities: ArrayLike<number> | null): void {
  if (container.childElementCount !== 10) {
    container.replaceChildren(
      ...Array.from({ length: 10 }, (_, digit) => {
        const row = document.createElement('div');
        row.className = 'bar-row';
        row.innerHTML = `<span class="bar-digit">${digit}</span><span class="bar-track"><span class="bar-fill"></span></span><span class="bar-value"></span>`;
        return row;
      }),
    );
  }
  let best = -1;
  if (probabilities !== null) for (let d = 0; d < 10; d++) if (best < 0 || probabilities[d]! > probabilities[best]!) best = d;
  Array.from(container.children).forEach((row, digit) => {
    const p = probabilities === null ? 0 : probabilities[digit]!;
    (row.querySelector('.bar-fill') as HTMLElement).style.width = `${(p * 100).toFixed(1)}%`;
    row.querySelector('.bar-value')!.textContent = probabilities === null ? '' : `${(p * 100).toFixed(1)}%`;
    row.classList.toggle('best', digit === best);
  });
  container.dataset.probabilities = probabilities === null ? '' : Array.from(probabilities, (p) => p.toFixed(4)).join(',');
}
