/**
 * The pictures of a run, as SVG documents (helpers in svg.ts):
 *   curves.svg        training and validation loss and accuracy per epoch
 *   confusion.svg     the test set's confusion matrix as a heat map
 *   filters.svg       the first conv layer's filters, each as a little image
 *   feature-maps.svg  one digit's activations after each conv and pooling layer (a ResNet: its stem and blocks)
 */
import { Add, Conv2D, type Layer, MaxPooling2D } from '@sinapse/layers';
import { model as functionalModel, type Model, Sequential } from '@sinapse/models';
import { noGrad, type Tensor } from '@sinapse/tensor';
import { confusionHeatmap, imageGrid, lineChart, sideBySide, stacked } from './svg';

/** Per-epoch numbers, one entry per epoch (the shape of fit's History.history). */
export type EpochLogs = Record<string, readonly number[]>;

export function curvesSvg(logs: EpochLogs): string {
  const of = (key: string) => logs[key] ?? [];
  return sideBySide(
    [
      lineChart(
        'Loss (lower is better)',
        [
          { label: 'training', values: of('loss'), color: '#1f77b4' },
          { label: 'validation', values: of('val_loss'), color: '#ff7f0e' },
        ],
        'cross-entropy',
      ),
      lineChart(
        'Accuracy',
        [
          { label: 'training', values: of('accuracy'), color: '#1f77b4' },
          { label: 'validation', values: of('val_accuracy'), color: '#ff7f0e' },
        ],
        'fraction correct',
        'bottom',
      ),
    ],
    'Training and validation loss and accuracy per epoch',
  );
}

export function confusionSvg(matrix: readonly (readonly number[])[], accuracy: number): string {
  return confusionHeatmap(matrix, `Test set confusion matrix (accuracy ${(100 * accuracy).toFixed(2)}%)`);
}

/**
 * The first Conv2D's filters: its kernel is [kh, kw, inChannels, filters], so filter f over input
 * channel 0 is the kh x kw grid kernel[:, :, 0, f]. Bright pixels are large positive weights: the
 * filter responds most to input that looks like its bright parts. (MNIST has one channel; for
 * more, this shows channel 0.)
 */
export function filtersSvg(model: Model): string {
  const conv = model.layers.find((l): l is Conv2D => l instanceof Conv2D);
  if (conv === undefined) return imageGrid(`${model.name} has no convolution layer: no filters to show`, [], 1);
  const kernel = conv.weights[0]!; // [kh, kw, inChannels, filters]
  const [kh, kw, cin, filters] = kernel.shape as [number, number, number, number];
  const images = Array.from({ length: filters }, (_, f) => {
    const values = new Float32Array(kh * kw);
    // NHWC-style flat index of kernel[r, c, 0, f]: ((r·kw + c)·cin + 0)·filters + f
    for (let r = 0; r < kh; r++)
      for (let c = 0; c < kw; c++) values[r * kw + c] = kernel.data[(r * kw + c) * cin * filters + f]!;
    return { label: `filter ${f}`, h: kh, w: kw, values };
  });
  return imageGrid(`${conv.name}: ${filters} filters of ${kh}x${kw}`, images, Math.min(filters, 8), 10);
}

/**
 * Runs one image [1, 28, 28, 1] through the model (inference mode) and draws the input and the
 * output of every conv and pooling layer, one row per layer, one small image per channel. Every
 * map is drawn at about the same size on screen, so the pooling rows show what max pooling does:
 * the same picture with 4x fewer pixels, keeping the bright parts. Stops after the first
 * `maxLayers` such layers (VGG has many). A residual network shows its stem and the output of each
 * block instead (see mainPathMaps).
 */
export function featureMapsSvg(model: Model, image: Tensor, label: string, maxLayers = 6): string {
  const rows: string[] = [grid(`input: ${label}, [28, 28, 1]`, image)];
  const maps = noGrad(() => (model instanceof Sequential ? sequentialMaps(model, image) : mainPathMaps(model, image)));
  for (const { layer, value } of maps.slice(0, maxLayers)) {
    rows.push(grid(`after ${layer.name} (${layer.className}): [${value.shape.slice(1).join(', ')}]`, value));
  }
  return stacked(rows, `Feature maps of ${label} in ${model.name}`);
}

/** A Sequential model, layer by layer (`layer.apply`): the output of each conv and pooling layer. */
function sequentialMaps(model: Sequential, image: Tensor): { layer: Layer; value: Tensor }[] {
  const maps: { layer: Layer; value: Tensor }[] = [];
  let x = image;
  for (const layer of model.layers) {
    x = layer.apply(x, { training: false });
    if (layer instanceof Conv2D || layer instanceof MaxPooling2D) maps.push({ layer, value: x });
  }
  return maps;
}

/**
 * A functional model is a graph, so its layers are not a chain to apply one after the other: the
 * maps are read the Keras way, from a second model with the same inputs whose outputs are the
 * tensors to show (it shares the layers and weights; nothing is copied). Shown are the tensors on
 * the main path, the ones every path from the input to the output goes through: in a ResNet, the
 * stem and each block's output (the layer after its Add), not the convs inside a block, which a
 * shortcut jumps over. For a chain of layers that is every conv and pooling layer, as above.
 */
function mainPathMaps(model: Model, image: Tensor): { layer: Layer; value: Tensor }[] {
  const layers = model.layers; // in graph order: each after the layers it reads from
  const at = new Map(layers.map((l, i) => [l, i]));
  // an edge from layer s to layer d jumps over every layer strictly between them
  const jumped = new Array<boolean>(layers.length).fill(false);
  for (const [d, layer] of layers.entries()) {
    for (const t of layer.inboundNodes[0]?.inputs ?? [])
      for (let k = at.get(t.node.layer)! + 1; k < d; k++) jumped[k] = true;
  }
  const shown = layers.filter((layer, k) => {
    const node = layer.inboundNodes[0];
    if (jumped[k] || node === undefined || node.outputs[0]?.rank !== 4) return false;
    const afterAdd = node.inputs.length === 1 && node.inputs[0]!.node.layer instanceof Add;
    return layer instanceof Conv2D || layer instanceof MaxPooling2D || afterAdd;
  });
  if (shown.length === 0) return [];
  const probe = functionalModel({ inputs: model.inputs, outputs: shown.map((l) => l.inboundNodes[0]!.outputs[0]!) });
  const values = probe.predict(image); // one tensor per output
  return shown.map((layer, i) => ({ layer, value: values[i]! }));
}

/** One activation tensor [1, H, W, C] as C little images, each about 84 pixels wide on screen. */
function grid(title: string, x: Tensor): string {
  const [, h, w, channels] = x.shape as [number, number, number, number];
  const images = Array.from({ length: channels }, (_, c) => {
    const values = new Float32Array(h * w);
    // NHWC flat index of x[0, r, col, c]: (r·w + col)·channels + c
    for (let i = 0; i < h * w; i++) values[i] = x.data[i * channels + c]!;
    return { label: channels === 1 ? '' : `${c}`, h, w, values };
  });
  return imageGrid(title, images, Math.min(channels, 8), Math.max(1, Math.round(84 / Math.max(h, w))));
}
