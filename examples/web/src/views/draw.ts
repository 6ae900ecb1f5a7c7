/**
 * Draw a digit: pointer strokes on a canvas → the MNIST preprocessing (lib/preprocess.ts) →
 * standardized with the model's mean and std → the model's class probabilities, as you draw.
 * Inference runs here on the main thread: one 28x28 image through LeNet-5 takes about a millisecond.
 */
import { fromArtifacts, type ModelJson, noGrad, softmax, tensor } from 'sinapse';
import { paintMap, probabilityBars } from '../lib/draw';
import { download, fromFiles, type LoadedModel, loadShipped, MNIST_NORMALIZATION, toFile } from '../lib/modelFile';
import { toMnist } from '../lib/preprocess';
import type { Trainer } from '../lib/trainer';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function setUpDraw(trainer: Trainer): void {
  const canvas = $<HTMLCanvasElement>('draw-canvas');
  const seen = $<HTMLCanvasElement>('draw-seen');
  const probs = $('draw-probs');
  const prediction = $('draw-prediction');
  const source = $<HTMLSelectElement>('model-source');
  const info = $('model-info');
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const models = new Map<string, LoadedModel & { name: string }>();
  let current: (LoadedModel & { name: string }) | null = null;
  let input: Float32Array | null = null;
  let pending = 0;
  probabilityBars(probs, null);

  // ---- drawing ------------------------------------------------------------------------------
  let last: [number, number] | null = null;
  const point = (e: PointerEvent): [number, number] => {
    const box = canvas.getBoundingClientRect();
    return [((e.clientX - box.left) / box.width) * canvas.width, ((e.clientY - box.top) / box.height) * canvas.height];
  };
  function stroke(from: [number, number], to: [number, number]): void {
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 20;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.stroke();
    schedule();
  }
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    stroke(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (last === null) return;
    const p = point(e);
    stroke(last, p);
    last = p;
  });
  const end = () => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  $('draw-clear').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    schedule();
  });

  /** Classifies at most once per frame, however fast the pointer moves. */
  function schedule(): void {
    if (pending === 0) pending = requestAnimationFrame(classify);
  }

  function classify(): void {
    pending = 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const ink = new Float32Array(canvas.width * canvas.height);
    for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i + 3]! / 255; // the strokes' alpha
    input = toMnist(ink, canvas.width, canvas.height);
    if (input === null) {
      seen.getContext('2d')!.clearRect(0, 0, 28, 28);
      probabilityBars(probs, null);
      prediction.textContent = '–';
      return;
    }
    paintMap(seen, input, 28, 28, (t) => [255 * t, 255 * t, 255 * t], { lo: 0, hi: 1 });
    predict();
  }

  function predict(): void {
    if (input === null || current === null) return;
    const { model, normalization } = current;
    const x = tensor(
      input.map((v) => (v - normalization.mean) / normalization.std),
      [1, 28, 28, 1],
    );
    const p = noGrad(() => Array.from(softmax(model.predict(x)).dataSync()));
    probabilityBars(probs, p);
    const best = p.indexOf(Math.max(...p));
    prediction.textContent = `${best} (${(p[best]! * 100).toFixed(1)}%)`;
  }

  // ---- models -------------------------------------------------------------------------------
  function use(key: string): void {
    const entry = models.get(key);
    if (entry === undefined) return;
    current = entry;
    info.textContent = entry.name;
    predict();
  }

  async function refreshTrained(): Promise<void> {
    const { modelJson, weightData } = await trainer.snapshot();
    models.set('trained', {
      model: fromArtifacts({ modelJson: modelJson as ModelJson, weightData }),
      normalization: trainedNormalization,
      name: 'The model training on the Train tab, as it is now.',
    });
    if (source.value === 'trained') use('trained');
  }
  let trainedNormalization = MNIST_NORMALIZATION;
  trainer.on((m) => {
    if (m.type === 'ready') {
      trainedNormalization = m.normalization;
      void refreshTrained();
    } else if (m.type === 'validation' && source.value === 'trained') void refreshTrained();
  });

  source.addEventListener('change', () => {
    if (source.value === 'trained') void refreshTrained();
    else use(source.value);
  });

  $('model-save').addEventListener('click', async () => {
    if (source.value === 'trained') await refreshTrained();
    if (current === null) return;
    download('lenet5-mnist.sinapse.json', toFile(current.model.toArtifacts(), current.normalization));
  });
  $<HTMLInputElement>('model-load').addEventListener('change', async (e) => {
    const field = e.target as HTMLInputElement;
    const files = Array.from(field.files ?? []);
    field.value = '';
    if (files.length === 0) return;
    try {
      const loaded = await fromFiles(files);
      const key = `file:${files.map((f) => f.name).join('+')}`;
      models.set(key, { ...loaded, name: `Loaded from ${files.map((f) => f.name).join(', ')}.` });
      let option = Array.from(source.options).find((o) => o.value === key);
      if (option === undefined) {
        option = new Option(`Loaded: ${files[0]!.name}`, key);
        source.add(option);
      }
      source.value = key;
      use(key);
    } catch (err) {
      info.textContent = `Could not load the model: ${err instanceof Error ? err.message : String(err)}`;
    }
  });

  loadShipped(new URL('model/', document.baseURI).href).then(
    async (shipped) => {
      let accuracy = '';
      try {
        const summary = await (await fetch(new URL('model/training.json', document.baseURI))).json();
        accuracy = ` ${(summary.testAccuracy * 100).toFixed(2)}% on the 10,000 test digits.`;
      } catch {}
      models.set('shipped', {
        ...shipped,
        name: `LeNet-5 trained by pnpm mnist (7 epochs, augmented).${accuracy}`,
      });
      if (source.value === 'shipped') use('shipped');
      document.body.dataset.shippedModel = 'ready';
    },
    (err) => {
      info.textContent = `Could not load the shipped model: ${err instanceof Error ? err.message : String(err)}`;
    },
  );
}
