/**
 * The lecture's pooling examples ("Camadas em redes convolucionais"), run in Sinapse with the same
 * Keras vocabulary as the notebook: one `Sequential` model per pooling layer, `predict`, `squeeze`.
 *
 * The notebook builds one 4x4 single-channel image, reshapes it to NHWC [1, 4, 4, 1] (one image,
 * 4 rows, 4 columns, 1 channel) and pools it four ways. We do the same, plus the L2 pooling the
 * lecture describes in words: the square root of the sum of the squares in each window.
 */
import {
  AveragePooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  L2Pooling2D,
  type Layer,
  MaxPooling2D,
} from '@sinapse/layers';
import { Sequential } from '@sinapse/models';
import { type Tensor, tensor } from '@sinapse/tensor';

/** The lecture's image, as [batch=1, height=4, width=4, channels=1]. */
export function lectureImage(): Tensor {
  return tensor([
    [2, 2, 7, 3],
    [9, 4, 6, 1],
    [8, 5, 2, 4],
    [3, 1, 2, 6],
  ]).reshape([1, 4, 4, 1]);
}

/** `np.squeeze(Sequential([layer]).predict(image))`, as each notebook cell does. */
function poolWith(layer: Layer, image: Tensor): Tensor {
  const model = new Sequential([layer]);
  return model.predict(image).squeeze();
}

/** Runs every example and returns the text the program prints. */
export function runLecture(): string {
  const image = lectureImage();
  const lines: string[] = [];
  lines.push('Input image [1, 4, 4, 1] (shown as 4x4):', String(image.squeeze()), '');
  // each 2x2 window keeps its largest value: max(2, 2, 9, 4) = 9 in the top-left corner
  lines.push(
    'Max pooling, poolSize 2, strides 2:',
    String(poolWith(new MaxPooling2D({ poolSize: 2, strides: 2 }), image)),
    '',
  );
  // each 2x2 window keeps its mean: (2 + 2 + 9 + 4) / 4 = 4.25 in the top-left corner
  lines.push(
    'Average pooling, poolSize 2, strides 2:',
    String(poolWith(new AveragePooling2D({ poolSize: 2, strides: 2 }), image)),
    '',
  );
  // sqrt(2² + 2² + 9² + 4²) = sqrt(105) ≈ 10.247 in the top-left corner
  lines.push(
    'L2 pooling, poolSize 2, strides 2:',
    String(poolWith(new L2Pooling2D({ poolSize: 2, strides: 2 }), image)),
    '',
  );
  // the notebook prints f'gm_output: {gm_output}\nga_output: {ga_output}'
  lines.push(`gm_output: ${poolWith(new GlobalMaxPooling2D(), image)}`);
  lines.push(`ga_output: ${poolWith(new GlobalAveragePooling2D(), image)}`);
  return lines.join('\n');
}
