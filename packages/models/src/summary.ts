/**
 * The text of `model.summary()`, laid out like Keras's `print_summary`: for a Sequential model three
 * columns at 45%, 85% and 100% of a 65-character line (29, 26 and 10 characters); for a functional
 * model four, at 33%, 55%, 67% and 100% of 98, the last "Connected to" listing each input of each
 * call as `layer[node][output]`, one per line. A column is widened when a name or a shape needs
 * more, rather than cut as Keras does. Trailing spaces are trimmed.
 */
import type { LayerShape, WeightInfo } from '@sinapse/layers';

/** One row of the table. */
export interface SummaryRow {
  /** The layer's name ('conv2d_1'). */
  name: string;
  /** Its class ('Conv2D'). */
  className: string;
  /** Its output shape, batch axis null: `[null, 24, 24, 6]`. */
  outputShape: LayerShape;
  /** Parameters the optimizer updates (156 for LeNet's first conv: 5·5·1·6 + 6). */
  trainable: number;
  /** Parameters it does not: BatchNormalization's moving statistics, frozen layers' weights. */
  nonTrainable: number;
}

/** A row of a functional model's table. */
export interface FunctionalSummaryRow extends Omit<SummaryRow, 'outputShape'> {
  /** One shape, one per output, or 'multiple' for a layer called more than once (as Keras prints). */
  outputShape: LayerShape | LayerShape[] | 'multiple';
  /** An InputLayer's shape is printed as a list, `[(None, 28, 28, 1)]`, as Keras does. */
  inputList: boolean;
  /** `conv1[0][0]` for each tensor the layer's calls take. */
  connectedTo: string[];
}

/** Options of `summary()` (Keras's `line_length` and `print_fn`). */
export interface SummaryOptions {
  /** Total width of the table. Default 65 for Sequential, 98 for functional models (Keras's). */
  lineLength?: number;
  /** Where the text goes. Default console.log. */
  printFn?: (text: string) => void;
}

/** The counts of a row from a layer's weight descriptions. */
export function summaryRow(name: string, className: string, info: readonly WeightInfo[]) {
  const count = (trainable: boolean) =>
    info.filter((w) => w.trainable === trainable).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  return { name, className, trainable: count(true), nonTrainable: count(false) };
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

/** Column widths from Keras's relative positions on a line of `lineLength`. */
function widthsFor(positions: readonly number[], lineLength: number): number[] {
  const ends = positions.map((p) => Math.floor(lineLength * p));
  return ends.map((end, i) => end - (i === 0 ? 0 : ends[i - 1]!));
}

/**
 * The table: a title, a header, then for each layer one or more lines (the first with the layer's
 * cells, the next ones with only the last column filled), and the totals.
 */
function formatTable(
  modelName: string,
  header: readonly string[],
  layers: readonly string[][][],
  minWidths: readonly number[],
  totals: { trainable: number; nonTrainable: number },
): string {
  const all = layers.flat();
  // each column is at least Keras's width and one space wider than its widest cell
  const widths = minWidths.map((min, c) => Math.max(min, ...all.map((line) => (line[c] ?? '').length + 1)));
  const lineWidth = widths.reduce((a, b) => a + b, 0);
  const row = (values: readonly string[]) =>
    values
      .map((v, c) => v.padEnd(widths[c]!))
      .join('')
      .trimEnd();
  const thin = '_'.repeat(lineWidth);
  const thick = '='.repeat(lineWidth);
  const lines = [`Model: "${modelName}"`, thin, row(header), thick];
  layers.forEach((group, i) => {
    for (const line of group) lines.push(row(line));
    lines.push(i === layers.length - 1 ? thick : thin);
  });
  if (layers.length === 0) lines.push(thick);
  lines.push(
    `Total params: ${formatCount(totals.trainable + totals.nonTrainable)}`,
    `Trainable params: ${formatCount(totals.trainable)}`,
    `Non-trainable params: ${formatCount(totals.nonTrainable)}`,
    thin,
  );
  return lines.join('\n');
}

function totalsOf(rows: readonly { trainable: number; nonTrainable: number }[]) {
  return {
    trainable: rows.reduce((n, r) => n + r.trainable, 0),
    nonTrainable: rows.reduce((n, r) => n + r.nonTrainable, 0),
  };
}

/** A Sequential model's summary: Layer (type), Output Shape, Param #. */
export function formatSummary(modelName: string, rows: readonly SummaryRow[], lineLength = 65): string {
  const layers = rows.map((r) => [
    [`${r.name} (${r.className})`, formatKerasShape(r.outputShape), formatCount(r.trainable + r.nonTrainable)],
  ]);
  return formatTable(
    modelName,
    ['Layer (type)', 'Output Shape', 'Param #'],
    layers,
    widthsFor([0.45, 0.85, 1], lineLength),
    totalsOf(rows),
  );
}

/** A functional model's summary: Layer (type), Output Shape, Param #, Connected to. */
export function formatFunctionalSummary(
  modelName: string,
  rows: readonly FunctionalSummaryRow[],
  lineLength = 98,
): string {
  const shape = (r: FunctionalSummaryRow): string => {
    if (r.outputShape === 'multiple') return 'multiple';
    if (r.inputList) return `[${formatKerasShape(r.outputShape as LayerShape)}]`;
    const list = r.outputShape as readonly LayerShape[];
    if (list.length === 1) return formatKerasShape(list[0]!);
    return `[${list.map(formatKerasShape).join(', ')}]`;
  };
  const layers = rows.map((r) => {
    const first = [
      `${r.name} (${r.className})`,
      shape(r),
      formatCount(r.trainable + r.nonTrainable),
      r.connectedTo[0] ?? '',
    ];
    return [first, ...r.connectedTo.slice(1).map((c) => ['', '', '', c])];
  });
  return formatTable(
    modelName,
    ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'],
    layers,
    widthsFor([0.33, 0.55, 0.67, 1], lineLength),
    totalsOf(rows),
  );
}
