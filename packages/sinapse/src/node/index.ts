/**
 * sinapse/node: the Node.js helpers of every package (files, worker threads, the terminal), kept out
 * of the main entry so that `sinapse` itself runs in a browser.
 *
 * @module sinapse/node
 */
export * from '@sinapse/data/node';
export * from '@sinapse/interop/node';
export * from '@sinapse/models/node';
export * from '@sinapse/tensor/node';
export * from '@sinapse/train/node';
