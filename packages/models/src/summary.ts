/**
 * The text of `model.summary()`, laid out like Keras's `print_summary` for a Sequential model:
 * three columns at 29, 26 and 10 characters (Keras's positions .45, .85 and 1 of a 65-character
 * line), widened when a name or a shape needs more. Trailing spaces are trimmed.
 */
import type { LayerShape } from '@sinapse/layers';

/** One row of the table. */
export interface SummaryRow {
  name: string;
  className: string;
  outputShape: LayerShape;
  trainable: number;
  nonTrainable: number;
}

/** 61706 → '61,706' */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** [null, 28, 28, 6] → '(None, 28, 28, 6)', the way Keras prints shapes (a 1-tuple keeps its comma: '(None,)'). */
export function formatKerasShape(shape: LayerShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

export function formatSummary(modelName: string, rows: readonly SummaryRow[]): string {
  const cells = rows.map((r) => [
    `${r.name} (${r.className})`,
    formatKerasShape(r.outputShape),
    formatCount(r.trainable + r.nonTrainable),
  ]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  // each column is at least Keras's width and one space wider than its widest cell
  const widths = [29, 26, 10].map((min, c) => Math.max(min, ...cells.map((row) => row[c]!.length + 1)));
  const lineWidth = widths.reduce((a, b) => a + b, 0);
  const row = (values: readonly string[]) =>
    values
      .map((v, c) => v.padEnd(widths[c]!))
      .join('')
      .trimEnd();
  const thin = '_'.repeat(lineWidth);
  const thick = '='.repeat(lineWidth);

  const trainable = rows.reduce((n, r) => n + r.trainable, 0);
  const nonTrainable = rows.reduce((n, r) => n + r.nonTrainable, 0);
  const lines = [`Model: "${modelName}"`, thin, row(header), thick];
  cells.forEach((c, i) => {
    lines.push(row(c));
    lines.push(i === cells.length - 1 ? thick : thin);
  });
  if (cells.length === 0) lines.push(thick);
  lines.push(
    `Total params: ${formatCount(trainable + nonTrainable)}`,
    `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(nonTrainable)}`,
    thin,
  );
  return lines.join('\n');
}
