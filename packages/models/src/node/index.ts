/**
 * @sinapse/models/node: saving and loading models as files (Node only; the core package stays
 * free of Node modules so it runs in browsers).
 *
 * @module @sinapse/models/node
 */
export { writeFileDurably } from './durableWrite';
export { loadModel, type SaveOptions, save } from './save';
