/**
 * The lecture's pooling examples ("Camadas em redes convolucionais"), run in Sinapse.
 *
 * The notebook builds one 4x4 single-channel image, reshapes it to NHWC [1, 4, 4, 1] (one image,
 * 4 rows, 4 columns, 1 channel) and pools it four ways. We do the same, plus the L2 pooling the
 * lecture describes in words: the square root of the sum of the squares in each window.
 */
import { avgPool2d, globalAvgPool2d, globalMaxPool2d, l2Pool2d, maxPool2d, type Tensor, tensor } from '@sinapse/tensor';

/** The lecture's image, as [batch=1, height=4, width=4, channels=1]. */
export function lectureImage(): Tensor {
  return tensor([
    [2, 2, 7, 3],
    [9, 4, 6, 1],
    [8, 5, 2, 4],
    [3, 1, 2, 6],
  ]).reshape([1, 4, 4, 1]);
}

/** Runs every example and returns the text the program prints. */
export function runLecture(): string {
  const image = lectureImage();
  const pool = { poolSize: 2, strides: 2 } as const;
  const lines: string[] = [];
  const show = (title: string, t: Tensor): void => {
    lines.push(title, String(t.squeeze()), '');
  };
  lines.push('Input image [1, 4, 4, 1] (shown as 4x4):', String(image.squeeze()), '');
  // each 2x2 window keeps its largest value: max(2, 2, 9, 4) = 9 in the top-left corner
  show('Max pooling, poolSize 2, strides 2:', maxPool2d(image, pool));
  // each 2x2 window keeps its mean: (2 + 2 + 9 + 4) / 4 = 4.25 in the top-left corner
  show('Average pooling, poolSize 2, strides 2:', avgPool2d(image, pool));
  // sqrt(2² + 2² + 9² + 4²) = sqrt(105) ≈ 10.247 in the top-left corner
  show('L2 pooling, poolSize 2, strides 2:', l2Pool2d(image, pool));
  lines.push(`gm_output: ${globalMaxPool2d(image).item()}`);
  lines.push(`ga_output: ${globalAvgPool2d(image).item()}`);
  return lines.join('\n');
}
