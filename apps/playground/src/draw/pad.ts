/** Ink width in canvas pixels: on a 280-pixel pad a digit's strokes then scale to MNIST's 2-3. */
const LINE_WIDTH = 20;

/** A canvas to draw on with a mouse, a pen or a finger (pointer events). */
export interface Pad {
  clear(): void;
  /** The ink, `width × height` levels in [0, 1] (the canvas's alpha), row-major. */
  intensity(): { data: Float32Array; width: number; height: number };
}

/**
 * Strokes follow pointer events — coalesced ones too, so fast strokes stay smooth — and
 * `onChange` runs once per animation frame while ink is being added.
 */
export function createPad(canvas: HTMLCanvasElement, onChange: () => void): Pad {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = LINE_WIDTH;
  ctx.strokeStyle = '#fff';
  let last: { x: number; y: number } | undefined;
  let frame = 0;
  const changed = () => {
    if (frame === 0) frame = requestAnimationFrame(() => ((frame = 0), onChange()));
  };
  // Canvas pixels, whatever size CSS gives the canvas.
  const at = (e: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) / rect.width) * canvas.width, y: ((e.clientY - rect.top) / rect.height) * canvas.height };
  };
  const lineTo = (p: { x: number; y: number }) => {
    ctx.beginPath();
    ctx.moveTo(last!.x, last!.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    lineTo({ x: last.x + 0.01, y: last.y }); // a tap leaves a dot
    changed();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (last === undefined) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e]) lineTo(at(ev));
    changed();
  });
  const end = () => {
    last = undefined;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return {
    clear() {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      changed();
    },
    intensity() {
      const { width, height } = canvas;
      const rgba = ctx.getImageData(0, 0, width, height).data;
      const data = new Float32Array(width * height);
      for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4 + 3]! / 255;
      return { data, width, height };
    },
  };
}
