/**
 * The weight initializers, as a namespace (`sn.initializers.heNormal()`, TF.js's `tf.initializers`):
 * `zeros` and `ones` here make initializers, while the top-level `sn.zeros` and `sn.ones` make tensors.
 */
export {
  constant,
  getInitializer,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  type InitializerIdentifier,
  lecunNormal,
  ones,
  randomNormal,
  randomUniform,
  type SerializedInitializer,
  zeros,
} from '@sinapse/layers';
