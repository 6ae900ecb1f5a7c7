/** Small canvas helpers: a map of values as pixels, line charts, probability bars. */
import { COLORS } from './palette';

/**
 * Draws a [height, width] slice of `values` (element (r, c) at values[offset + (r·width + c)·stride])
 * into `canvas` at its own size, each value through `color` after scaling to [0, 1] by lo..hi.
 */
export function paintMap(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  height: number,
  width: number,
  color: (t: number) => [number, number, number],
  options: { offset?: number; stride?: number; lo?: number; hi?: number } = {},
): void {
  const { offset = 0, stride = 1 } = options;
  let { lo, hi } = options;
  if (lo === undefined || hi === undefined) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < height * width; i++) {
      const v = values[offset + i * stride]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi - lo || 1;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(width, height);
  for (let i = 0; i < height * width; i++) {
    const [r, g, b] = color((values[offset + i * stride]! - lo) / span);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

export interface Series {
  label: string;
  color: string;
  dash: number[];
  points: Array<[number, number]>;
}

/** A line chart of `series` over x in [0, xMax], y in [yMin, yMax]; sized to the canvas's CSS box. */
export function lineChart(
  canvas: HTMLCanvasElement,
  series: readonly Series[],
  xMax: number,
  yRange: [number, number] | 'auto',
  format: (y: number) => string,
): void {
  const dpr = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth || 400;
  const cssHeight = canvas.clientHeight || 200;
  if (canvas.width !== Math.round(cssWidth * dpr)) canvas.width = Math.round(cssWidth * dpr);
  if (canvas.height !== Math.round(cssHeight * dpr)) canvas.height = Math.round(cssHeight * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const style = getComputedStyle(canvas);
  const ink = style.getPropertyValue('--ink-soft').trim() || '#666';
  const grid = style.getPropertyValue('--line').trim() || '#ddd';
  let [lo, hi] = yRange === 'auto' ? [0, 0] : yRange;
  if (yRange === 'auto') {
    hi = 0.1;
    for (const s of series) for (const [, y] of s.points) if (Number.isFinite(y)) hi = Math.max(hi, y);
    hi *= 1.05;
  }
  const left = 44;
  const right = 10;
  const top = 8;
  const bottom = 22;
  const w = cssWidth - left - right;
  const h = cssHeight - top - bottom;
  const px = (x: number) => left + (x / xMax) * w;
  const py = (y: number) => top + (1 - (y - lo) / (hi - lo)) * h;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = ink;
  ctx.strokeStyle = grid;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = lo + ((hi - lo) * i) / 4;
    ctx.beginPath();
    ctx.moveTo(left, py(y));
    ctx.lineTo(left + w, py(y));
    ctx.stroke();
    ctx.fillText(format(y), left - 6, py(y));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const ticks = Math.min(10, Math.max(2, Math.round(xMax))); // halves for one epoch
  for (let i = 0; i <= ticks; i++)
    ctx.fillText(String(Math.round(((xMax * i) / ticks) * 10) / 10), px((xMax * i) / ticks), top + h + 6);
  for (const s of series) {
    if (s.points.length === 0) continue;
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash);
    ctx.beginPath();
    s.points.forEach(([x, y], i) => {
      const cy = py(Math.min(hi, Math.max(lo, y)));
      if (i === 0) ctx.moveTo(px(x), cy);
      else ctx.lineTo(px(x), cy);
    });
    ctx.stroke();
    ctx.setLineDash([]);
    const [lx, ly] = s.points.at(-1)!;
    ctx.beginPath();
    ctx.arc(px(lx), py(Math.min(hi, Math.max(lo, ly))), 3, 0, 2 * Math.PI);
    ctx.fill();
  }
}

/** Fills an <ol> with ten probability bars; the largest is marked. */
export function probabilityBars(list: HTMLElement, probabilities: readonly number[] | null): void {
  if (list.children.length !== 10) {
    list.replaceChildren(
      ...Array.from({ length: 10 }, (_, d) => {
        const item = document.createElement('li');
        item.innerHTML = `<span class="digit">${d}</span><span class="bar"><span></span></span><span class="value">–</span>`;
        return item;
      }),
    );
  }
  const best = probabilities === null ? -1 : probabilities.indexOf(Math.max(...probabilities));
  for (let d = 0; d < 10; d++) {
    const item = list.children[d] as HTMLElement;
    const p = probabilities?.[d] ?? 0;
    (item.querySelector('.bar > span') as HTMLElement).style.width = `${(p * 100).toFixed(1)}%`;
    item.querySelector('.value')!.textContent = probabilities === null ? '–' : `${(p * 100).toFixed(1)}%`;
    item.classList.toggle('best', d === best);
    item.setAttribute('aria-label', `${d}: ${(p * 100).toFixed(1)} percent`);
  }
}

export { COLORS };
