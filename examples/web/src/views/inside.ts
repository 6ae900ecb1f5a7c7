/** See inside: conv1's filters and one test digit's feature maps, as the worker sends them. */
import { paintMap, probabilityBars } from '../lib/draw';
import { diverging, sequential } from '../lib/palette';
import type { Trainer } from '../lib/trainer';
import type { FromWorker } from '../worker/protocol';

const TITLES: Record<string, string> = {
  conv1: 'conv1: 6 feature maps, 28×28, one per filter',
  pool1: 'pool1: max of every 2×2 block, 14×14',
  conv2: 'conv2: 16 maps, 10×10, each combining all six',
  pool2: 'pool2: 5×5 each, the 400 numbers the dense layers read',
};

function canvases(parent: HTMLElement, count: number, className: string): HTMLCanvasElement[] {
  while (parent.children.length > count) parent.lastElementChild!.remove();
  while (parent.children.length < count) {
    const c = document.createElement('canvas');
    c.className = className;
    parent.append(c);
  }
  return Array.from(parent.children) as HTMLCanvasElement[];
}

export function setUpInside(trainer: Trainer): void {
  const picker = document.getElementById('digit-picker')!;
  const filters = document.getElementById('filters')!;
  const maps = document.getElementById('feature-maps')!;
  const probs = document.getElementById('inside-probs')!;
  let selected = 0;
  probabilityBars(probs, null);

  function select(index: number, focus = false): void {
    selected = index;
    picker.querySelectorAll('button').forEach((b, i) => {
      b.setAttribute('aria-checked', String(i === index));
      b.tabIndex = i === index ? 0 : -1;
      if (i === index && focus) b.focus();
    });
    trainer.send({ type: 'inspect', index });
  }

  function showSamples(samples: Extract<FromWorker, { type: 'ready' }>['samples']): void {
    picker.replaceChildren(
      ...samples.labels.map((label, i) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.setAttribute('role', 'radio');
        button.setAttribute('aria-label', `test digit ${i}, a ${label}`);
        const canvas = document.createElement('canvas');
        paintMap(canvas, samples.pixels, 28, 28, (t) => [255 * (1 - t), 255 * (1 - t), 255 * (1 - t)], {
          offset: i * 784,
          lo: 0,
          hi: 255,
        });
        button.append(canvas);
        button.addEventListener('click', () => select(i));
        return button;
      }),
    );
    // arrow keys move within the group, as in any radio group
    picker.addEventListener('keydown', (e) => {
      const n = samples.labels.length;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') select((selected + 1) % n, true);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') select((selected + n - 1) % n, true);
      else return;
      e.preventDefault();
    });
    select(0);
  }

  function show(m: Extract<FromWorker, { type: 'inside' }>): void {
    // filters: one 5x5 kernel per output channel, all on one colour scale centred on 0
    let extent = 1e-6;
    for (const v of m.filters) extent = Math.max(extent, Math.abs(v));
    canvases(filters, 6, 'map filter').forEach((c, f) => {
      paintMap(c, m.filters, 5, 5, diverging, { offset: f, stride: 6, lo: -extent, hi: extent });
    });
    for (const layer of m.maps) {
      let row = maps.querySelector<HTMLElement>(`[data-layer="${layer.name}"]`);
      if (row === null) {
        row = document.createElement('div');
        row.dataset.layer = layer.name;
        row.innerHTML = `<h2>${TITLES[layer.name] ?? layer.name}</h2><div class="maps"></div>`;
        maps.append(row);
      }
      const [h, w, channels] = layer.shape;
      // one scale per layer (0 to the layer's max), so maps of one layer compare
      let hi = 1e-6;
      for (const v of layer.data) hi = Math.max(hi, v);
      canvases(row.querySelector('.maps')!, channels, `map s${w}`).forEach((c, ch) => {
        paintMap(c, layer.data, h, w, sequential, { offset: ch, stride: channels, lo: 0, hi });
      });
    }
    probabilityBars(probs, m.probabilities);
  }

  // painting ~50 small canvases is only worth it when they can be seen: while the view is hidden,
  // keep the latest maps and paint them when it is shown (the main thread stays free for the rest)
  const panel = document.getElementById('view-inside')!;
  let latest: Extract<FromWorker, { type: 'inside' }> | null = null;
  document.addEventListener('sinapse:view', () => {
    if (!panel.hidden && latest !== null) show(latest);
  });
  trainer.on((m) => {
    if (m.type === 'ready') showSamples(m.samples);
    else if (m.type === 'inside' && m.index === selected) {
      latest = m;
      if (!panel.hidden) show(m);
    }
  });
}
