/**
 * @sinapse/data/node: the Node-only side of the data package, reading IDX and MNIST files from
 * disk (and gunzipping them). Everything else lives in the browser-safe `@sinapse/data`.
 *
 * @module @sinapse/data/node
 */

export { type LoadMnistOptions, loadMnist, MNIST_FILES } from './loadMnist';
export { gunzipIdx, type ReadIdxOptions, readIdxBytes, readIdxFile } from './readIdxFile';
