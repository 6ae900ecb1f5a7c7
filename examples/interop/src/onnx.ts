/**
 * Sinapse → ONNX Runtime: LeNet-5 trained here for one epoch on MNIST digits, written with saveOnnx,
 * and run by ONNX Runtime (onnxruntime-node, its CPU build). Both give the same digit probabilities.
 *
 * The ONNX graph takes the same NHWC images [N, 28, 28, 1] Sinapse does (it transposes to ONNX's NCHW
 * inside, docs/interop.md), normalized the same way, so the images go to both unchanged.
 */
import { join } from 'node:path';
import { loadMnist } from '@sinapse/data/node';
import { saveOnnx } from '@sinapse/interop/node';
import { lenet5 } from '@sinapse/models';
import { seed, softmax, tensor } from '@sinapse/tensor';
import { Adam } from '@sinapse/train';
import * as ort from 'onnxruntime-node';

export interface OnnxDemoOptions {
  /** Training images. Default 5,000. */
  limit?: number;
  /** Where model.onnx goes. */
  out: string;
  log?: (line: string) => void;
}

/** Returns the largest difference between Sinapse's and ONNX Runtime's probabilities. */
export async function onnxDemo({
  limit = 5000,
  out,
  log = console.log,
}: OnnxDemoOptions): Promise<{ maxDiff: number; right: number }> {
  seed(0);
  const mnist = loadMnist({ limit, testLimit: 8, normalize: 'standard' });
  const model = lenet5();
  model.compile({ optimizer: new Adam({ learningRate: 0.001 }), loss: 'sparseSoftmaxCrossEntropy' }); // lenet5 outputs logits
  await model.fit(mnist.train.images, mnist.train.labels, { epochs: 1, batchSize: 32, seed: 0 });

  const file = join(out, 'lenet5.onnx');
  saveOnnx(model, file);
  log(`wrote ${file}`);

  const images = mnist.test.images; // [8, 28, 28, 1], NHWC
  const ours = softmax(model.predict(images), -1);
  const session = await ort.InferenceSession.create(file);
  const feeds = {
    [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(images.data), [...images.shape]),
  };
  const logits = (await session.run(feeds))[session.outputNames[0]!]!;
  const theirs = softmax(tensor(Array.from(logits.data as Float32Array), [...logits.dims]), -1);

  log('digit  label  Sinapse p   ONNX Runtime p');
  let maxDiff = 0;
  for (let i = 0; i < images.shape[0]!; i++) {
    const row = (t: typeof ours) => Array.from(t.data.subarray(i * 10, i * 10 + 10));
    const [p, q] = [row(ours), row(theirs)];
    const digit = p.indexOf(Math.max(...p));
    p.forEach((v, k) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - q[k]!));
    });
    log(
      `${String(digit).padStart(5)}  ${String(mnist.test.labels.data[i]).padStart(5)}  ${p[digit]!.toFixed(6).padStart(9)}   ${q[digit]!.toFixed(6)}`,
    );
  }
  log(`largest difference of a probability: ${maxDiff.toExponential(1)}`);
  // a demo that agrees on nonsense proves little: the network must also have learned digits
  const right = Array.from({ length: images.shape[0]! }, (_, i) => i).filter((i) => {
    const p = Array.from(ours.data.subarray(i * 10, i * 10 + 10));
    return p.indexOf(Math.max(...p)) === mnist.test.labels.data[i];
  }).length;
  log(`${right} of ${images.shape[0]} test digits right`);
  return { maxDiff, right };
}
