/**
 * The pooling playground: the lecture's 4x4 image through Sinapse's own pooling ops, with the
 * gradient from autograd. Nothing here re-implements pooling: y is maxPool2d / avgPool2d /
 * l2Pool2d / globalMaxPool2d / globalAvgPool2d of x, and ∂y/∂x comes from backward().
 */
import {
  avgPool2d,
  globalAvgPool2d,
  globalMaxPool2d,
  l2Pool2d,
  maxPool2d,
  mul,
  sum,
  type Tensor,
  tensor,
} from 'sinapse';

export const LECTURE_IMAGE = [
  [2, 2, 7, 3],
  [9, 4, 6, 1],
  [8, 5, 2, 4],
  [3, 1, 2, 6],
];

type Kind = 'max' | 'avg' | 'l2' | 'gmax' | 'gavg';
const FORMULA: Record<Kind, string> = {
  max: 'y = max of each window',
  avg: 'y = mean of each window',
  l2: 'y = √(Σ x²) of each window',
  gmax: 'y = max of the whole map',
  gavg: 'y = mean of the whole map',
};
const EXPLAIN: Record<Kind, string> = {
  max: 'Max pooling passes the gradient to the largest value of each window (1 there, 0 elsewhere).',
  avg: 'Average pooling shares the gradient equally: 1/n to each of the n cells of the window.',
  l2: 'L2 pooling gives each cell xᵢ / y: large values get more of the gradient.',
  gmax: 'Global max: the single largest value gets all of the gradient.',
  gavg: 'Global average: every cell gets 1/16.',
};

/** Shows a number as the lecture writes it: 4.25, 3.5, 4.0625, 10.247 (at most 4 decimals). */
export function formatValue(v: number): string {
  return String(Number(v.toFixed(4)));
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function setUpPooling(): void {
  const inputGrid = $('pool-input');
  const outputGrid = $('pool-output');
  const gradGrid = $('pool-grad');
  const error = $('pool-error');
  const form = $<HTMLFormElement>('pool-form');
  const values = LECTURE_IMAGE.map((row) => [...row]);
  let selected: [number, number] | null = null;

  // the input: 16 number fields
  const inputs: HTMLInputElement[] = [];
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      const field = document.createElement('input');
      field.type = 'number';
      field.step = 'any';
      field.inputMode = 'decimal';
      field.value = String(values[r]![c]);
      field.setAttribute('aria-label', `x row ${r + 1} column ${c + 1}`);
      field.dataset.row = String(r);
      field.dataset.col = String(c);
      field.addEventListener('input', () => {
        const v = Number(field.value);
        if (field.value.trim() !== '' && Number.isFinite(v)) {
          values[r]![c] = v;
          field.removeAttribute('aria-invalid');
          update();
        } else {
          field.setAttribute('aria-invalid', 'true');
        }
      });
      inputs.push(field);
    }
  }
  inputGrid.replaceChildren(...inputs);

  function settings() {
    const kind = (form.querySelector('input[name="pool-kind"]:checked') as HTMLInputElement).value as Kind;
    return {
      kind,
      poolSize: Number($<HTMLSelectElement>('pool-size').value),
      strides: Number($<HTMLSelectElement>('pool-strides').value),
      padding: $<HTMLSelectElement>('pool-padding').value as 'valid' | 'same',
    };
  }

  function apply(x: Tensor, s: ReturnType<typeof settings>): Tensor {
    const options = { poolSize: s.poolSize, strides: s.strides, padding: s.padding };
    switch (s.kind) {
      case 'max':
        return maxPool2d(x, options);
      case 'avg':
        return avgPool2d(x, options);
      case 'l2':
        return l2Pool2d(x, options);
      case 'gmax':
        return globalMaxPool2d(x, { keepDims: true });
      case 'gavg':
        return globalAvgPool2d(x, { keepDims: true });
    }
  }

  /** The input cells of output (i, j)'s window (TensorFlow's 'same' rule: the odd padding cell at the end). */
  function windowOf(s: ReturnType<typeof settings>, out: number, i: number, j: number): Set<number> {
    const cells = new Set<number>();
    if (s.kind === 'gmax' || s.kind === 'gavg') {
      for (let k = 0; k < 16; k++) cells.add(k);
      return cells;
    }
    const before = s.padding === 'same' ? Math.floor(Math.max((out - 1) * s.strides + s.poolSize - 4, 0) / 2) : 0;
    for (let r = i * s.strides - before; r < i * s.strides - before + s.poolSize; r++) {
      for (let c = j * s.strides - before; c < j * s.strides - before + s.poolSize; c++) {
        if (r >= 0 && r < 4 && c >= 0 && c < 4) cells.add(r * 4 + c);
      }
    }
    return cells;
  }

  function update(): void {
    const s = settings();
    const global = s.kind === 'gmax' || s.kind === 'gavg';
    for (const id of ['pool-size', 'pool-strides', 'pool-padding']) $<HTMLSelectElement>(id).disabled = global;
    $('pool-formula').textContent = FORMULA[s.kind];
    let y: Tensor;
    const x = tensor(values.flat(), [1, 4, 4, 1]).requireGrad();
    try {
      y = apply(x, s);
      error.hidden = true;
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
      error.hidden = false;
      outputGrid.replaceChildren();
      gradGrid.replaceChildren();
      return;
    }
    const [, oh, ow] = y.shape as [number, number, number, number];
    if (selected !== null && (selected[0] >= oh || selected[1] >= ow)) selected = null;
    // ∂y[i, j]/∂x for the selected window, ∂(Σ y)/∂x otherwise: backward() through the op
    const mask = new Float32Array(oh * ow).fill(selected === null ? 1 : 0);
    if (selected !== null) mask[selected[0] * ow + selected[1]] = 1;
    sum(mul(y, tensor(mask, y.shape))).backward();
    const grad = x.grad!.dataSync();
    const out = y.dataSync();

    outputGrid.style.setProperty('--cols', String(ow));
    outputGrid.replaceChildren(
      ...Array.from(out, (v, k) => {
        const i = Math.floor(k / ow);
        const j = k % ow;
        const cell = document.createElement('button');
        cell.type = 'button';
        cell.className = 'cell';
        cell.textContent = formatValue(v);
        cell.dataset.testid = 'pool-out-cell';
        cell.dataset.row = String(i);
        cell.dataset.col = String(j);
        const isSelected = selected !== null && selected[0] === i && selected[1] === j;
        cell.setAttribute('aria-pressed', String(isSelected));
        cell.setAttribute('aria-label', `y row ${i + 1} column ${j + 1}: ${formatValue(v)}`);
        cell.addEventListener('click', () => {
          selected = isSelected ? null : [i, j];
          update();
          (outputGrid.querySelector(`[data-row="${i}"][data-col="${j}"]`) as HTMLElement | null)?.focus();
        });
        const hint = (on: boolean) => highlight(on ? windowOf(s, oh, i, j) : selectedWindow());
        cell.addEventListener('mouseenter', () => hint(true));
        cell.addEventListener('mouseleave', () => hint(false));
        cell.addEventListener('focus', () => hint(true));
        cell.addEventListener('blur', () => hint(false));
        return cell;
      }),
    );
    const selectedWindow = () => (selected === null ? new Set<number>() : windowOf(s, oh, selected[0], selected[1]));
    highlight(selectedWindow());

    gradGrid.replaceChildren(
      ...Array.from(grad, (g) => {
        const cell = document.createElement('span');
        cell.className = g === 0 ? 'cell zero' : 'cell';
        cell.textContent = formatValue(g);
        cell.style.setProperty('--strength', String(Math.min(1, Math.abs(g))));
        return cell;
      }),
    );
    $('pool-grad-title').textContent =
      selected === null ? '∂(Σ y) / ∂x, every window' : `∂y[${selected[0] + 1},${selected[1] + 1}] / ∂x`;
    $('pool-explain').textContent = `${EXPLAIN[s.kind]} Output ${oh}×${ow}.`;
  }

  function highlight(cells: Set<number>): void {
    inputs.forEach((field, k) => {
      field.classList.toggle('in-window', cells.has(k));
    });
  }

  form.addEventListener('change', update);
  $('pool-reset').addEventListener('click', () => {
    LECTURE_IMAGE.forEach((row, r) => {
      row.forEach((v, c) => {
        values[r]![c] = v;
        inputs[r * 4 + c]!.value = String(v);
        inputs[r * 4 + c]!.removeAttribute('aria-invalid');
      });
    });
    selected = null;
    update();
  });
  update();
}
