/**
 * Pictures as SVG, written by hand: SVG is plain text, so a few small helpers replace a plotting
 * library and need no native dependency (images are embedded as PNGs made by the pure-JS pngjs). Each function returns a complete SVG document.
 */

import { PNG } from 'pngjs';

const FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12"';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A whole document; `title` becomes its <title> (what screen readers and tooltips show). */
function svg(width: number, height: number, body: string[], title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

export interface Series {
  label: string;
  values: readonly number[];
  color: string;
}

/**
 * A line chart of several series over epochs 1..n, e.g. training and validation loss. The y range
 * covers every finite value; each point is a dot so a one-epoch run still shows something. Put the
 * legend where the curves are not: 'top' (right) for falling curves such as a loss, 'bottom' for rising ones.
 */
export function lineChart(
  title: string,
  series: readonly Series[],
  yLabel: string,
  legend: 'top' | 'bottom' = 'top',
): string {
  const W = 480;
  const H = 300;
  const left = 72;
  const right = 16;
  const top = 32;
  const bottom = 40;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const n = Math.max(1, ...series.map((s) => s.values.length));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const x = (i: number) => left + (n === 1 ? (W - left - right) / 2 : (i / (n - 1)) * (W - left - right));
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (H - top - bottom);
  const body: string[] = [
    `<text x="${W / 2}" y="20" text-anchor="middle" ${FONT} font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>`,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" ${FONT}>epoch</text>`,
    `<text x="12" y="${H / 2}" text-anchor="middle" ${FONT} transform="rotate(-90 12 ${H / 2})">${escapeXml(yLabel)}</text>`,
  ];
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    body.push(
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" ${FONT}>${v.toPrecision(3)}</text>`,
      `<line x1="${left}" y1="${y(v)}" x2="${W - right}" y2="${y(v)}" stroke="#eee"/>`,
    );
  }
  for (let i = 0; i < n; i++) {
    body.push(`<text x="${x(i)}" y="${H - bottom + 16}" text-anchor="middle" ${FONT}>${i + 1}</text>`);
  }
  const legendTop = legend === 'top' ? top + 4 : H - bottom - 8 - 18 * series.length;
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    body.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const p of points) {
      const [px, py] = p.split(',');
      body.push(`<circle cx="${px}" cy="${py}" r="3" fill="${s.color}"/>`);
    }
    body.push(
      `<rect x="${W - right - 150}" y="${legendTop + k * 18}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${W - right - 132}" y="${legendTop + 10 + k * 18}" ${FONT}>${escapeXml(s.label)}</text>`,
    );
  });
  return svg(W, H, body, title);
}

/** Several charts side by side in one document (each chart is an SVG document itself). */
export function sideBySide(charts: readonly string[], title: string, width = 480, height = 300): string {
  const body = charts.map((c, i) => {
    const inner = c
      .replace(/^<svg[^>]*>/, '')
      .replace(/<title>.*?<\/title>/, '')
      .replace(/<\/svg>\s*$/, '');
    return `<g transform="translate(${i * width} 0)">${inner}</g>`;
  });
  return svg(width * charts.length, height, body, title);
}

/**
 * A confusion matrix as a heat map: rows are true classes, columns predicted classes, each cell
 * shaded by its share of the row, with the count written in it.
 */
export function confusionHeatmap(matrix: readonly (readonly number[])[], title: string): string {
  const k = matrix.length;
  const cell = 36;
  const left = 48;
  const top = 56;
  const W = left + k * cell + 16;
  const H = top + k * cell + 40;
  const body: string[] = [
    `<text x="${W / 2}" y="20" text-anchor="middle" ${FONT} font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left + (k * cell) / 2}" y="40" text-anchor="middle" ${FONT}>predicted</text>`,
    `<text x="14" y="${top + (k * cell) / 2}" text-anchor="middle" ${FONT} transform="rotate(-90 14 ${top + (k * cell) / 2})">true</text>`,
  ];
  for (let i = 0; i < k; i++) {
    const row = matrix[i]!;
    const total = row.reduce((a, b) => a + b, 0) || 1;
    body.push(`<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" ${FONT}>${i}</text>`);
    body.push(
      `<text x="${left + i * cell + cell / 2}" y="${top + k * cell + 16}" text-anchor="middle" ${FONT}>${i}</text>`,
    );
    for (let j = 0; j < k; j++) {
      const share = row[j]! / total;
      // the diagonal (correct) in blue, mistakes in red, both fading to white at 0
      const shade = Math.round(255 * (1 - Math.min(1, i === j ? share : share * 8)));
      const color = i === j ? `rgb(${shade},${shade},255)` : `rgb(255,${shade},${shade})`;
      body.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${color}" stroke="#ccc"/>`,
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="10" fill="${shade < 128 ? 'white' : 'black'}">${row[j]}</text>`,
      );
    }
  }
  return svg(W, H, body, title);
}

/**
 * Grey-scale images in a grid, each scaled to its own min..max (so filters with small weights are
 * still visible; a constant image comes out black). `images` are row-major [h, w] arrays.
 *
 * Each image is embedded as a tiny PNG (a data: URL) drawn `pixel` times larger with
 * `image-rendering: pixelated`, rather than as one <rect> per pixel: a page of feature maps is then
 * a few kilobytes instead of a megabyte, and every viewer still shows sharp square pixels.
 */
export function imageGrid(
  title: string,
  images: ReadonlyArray<{ label: string; h: number; w: number; values: ArrayLike<number> }>,
  columns: number,
  pixel = 6,
): string {
  const pad = 14;
  if (images.length === 0) {
    return svg(
      Math.max(200, 7 * title.length),
      40,
      [`<text x="10" y="24" ${FONT} font-weight="bold">${escapeXml(title)}</text>`],
      title,
    );
  }
  const maxH = Math.max(...images.map((im) => im.h));
  const maxW = Math.max(...images.map((im) => im.w));
  const cellW = Math.max(maxW * pixel, 40) + pad;
  const cellH = maxH * pixel + pad + 14;
  const rows = Math.ceil(images.length / columns);
  const W = Math.max(Math.min(columns, images.length) * cellW + pad, 200);
  const H = rows * cellH + 40;
  const body: string[] = [`<text x="${pad}" y="20" ${FONT} font-weight="bold">${escapeXml(title)}</text>`];
  images.forEach((im, idx) => {
    const ox = pad + (idx % columns) * cellW;
    const oy = 36 + Math.floor(idx / columns) * cellH;
    if (im.label !== '') {
      body.push(
        `<text x="${ox}" y="${oy - 3}" font-family="Helvetica, Arial, sans-serif" font-size="10">${escapeXml(im.label)}</text>`,
      );
    }
    body.push(
      `<image x="${ox}" y="${oy}" width="${im.w * pixel}" height="${im.h * pixel}" style="image-rendering:pixelated" href="${greyPng(im.h, im.w, im.values)}"/>`,
    );
  });
  return svg(W, H, body, title);
}

/** Several SVG documents stacked top to bottom in one document (e.g. one imageGrid per layer). */
export function stacked(charts: readonly string[], title: string): string {
  let y = 0;
  let width = 0;
  const body = charts.map((c) => {
    const [, w, h] = /width="([\d.]+)" height="([\d.]+)"/.exec(c) ?? ['', '0', '0'];
    const inner = c
      .replace(/^<svg[^>]*>/, '')
      .replace(/<title>.*?<\/title>/, '')
      .replace(/<\/svg>\s*$/, '');
    const group = `<g transform="translate(0 ${y})">${inner}</g>`;
    y += Number(h);
    width = Math.max(width, Number(w));
    return group;
  });
  return svg(width, y, body, title);
}

/** An h x w grey-scale PNG as a data: URL, the values mapped linearly from their min..max to 0..255. */
function greyPng(h: number, w: number, values: ArrayLike<number>): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < h * w; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  const range = hi - lo || 1;
  const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, bitDepth: 8 });
  const grey = Buffer.alloc(h * w);
  for (let i = 0; i < h * w; i++) grey[i] = Math.round((255 * (values[i]! - lo)) / range);
  png.data = grey;
  return `data:image/png;base64,${PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }).toString('base64')}`;
}
