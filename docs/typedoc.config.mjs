/**
 * The API reference (TypeDoc): Markdown pages under docs/api/ from the TSDoc comments of every
 * package's public entries, with a sidebar for VitePress (docs/.vitepress/config.ts). `pnpm docs:build`
 * and `pnpm docs:dev` run it first; `pnpm --filter @sinapse/docs api` runs it alone.
 *
 * It fails (treatWarningsAsErrors) on an export, a class member or an interface field without a doc
 * comment (validation.notDocumented), and on a {@link} that points nowhere.
 */
// @ts-check

const entries = [
  'tensor',
  'tensor/node',
  'layers',
  'models',
  'models/node',
  'train',
  'train/node',
  'data',
  'data/node',
  'interop',
  'interop/node',
  'sinapse',
  'sinapse/node',
];

/** @type {Partial<import('typedoc').TypeDocOptions & import('typedoc-plugin-markdown').PluginOptions & { docsRoot: string, sidebar: object }>} */
export default {
  name: 'Sinapse API',
  // the sources themselves, not the built .d.ts: `@sinapse/*` resolve to the packages' src (see the
  // paths in tsconfig.api.json), so the umbrella's re-exports link to the one page of each export
  tsconfig: './tsconfig.api.json',
  entryPoints: entries.map((e) => {
    const [pkg, sub] = e.split('/');
    return `../packages/${pkg}/src/${sub ? `${sub}/` : ''}index.ts`;
  }),
  // in the order above (the dependency order), not alphabetical
  sortEntryPoints: false,
  plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
  out: './api',
  docsRoot: './',
  // the index page: a short introduction, then the table of packages
  readme: './.vitepress/api-home.md',
  mergeReadme: true,
  excludePrivate: true,
  // protected members are what a custom layer or optimizer overrides: they stay, documented
  excludeProtected: false,
  // `@internal` marks exports that other packages of the workspace need but users do not
  excludeInternal: true,
  // the symbols of every package, not only of @sinapse/docs (TypeDoc's default)
  packagesRequiringDocumentation: [
    '@sinapse/tensor',
    '@sinapse/layers',
    '@sinapse/models',
    '@sinapse/train',
    '@sinapse/data',
    '@sinapse/interop',
    'sinapse',
  ],
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  treatWarningsAsErrors: true,
  // Each page says where its export is defined ("Defined in: packages/tensor/src/ops/add.ts:12") as plain
  // text, the path a reader opens in the repository. No links: the site is built from any clone (CI's
  // remote is a local path, a tarball has none), and TypeDoc warns, which fails the build, when it
  // cannot turn a remote into a hosting URL. gitRevision 'HEAD' tells it not to try.
  gitRevision: 'HEAD',
  // Members of anonymous object types whose meaning is the documented thing around them: the return
  // values of small resolver functions (their comment says what they return) and alias tables whose
  // values name what they stand for.
  intentionallyNotDocumented: [
    '@sinapse/tensor.Generator.shuffle.T.__type.length',
    '@sinapse/layers.computeFans.__type.fanIn',
    '@sinapse/layers.computeFans.__type.fanOut',
    '@sinapse/layers.getActivation.__type.name',
    '@sinapse/layers.getActivation.__type.fn',
    '@sinapse/train.getMetric.__type.name',
    '@sinapse/train.getMetric.__type.fn',
    '@sinapse/data.Dataset.split.__type.train',
    '@sinapse/data.Dataset.split.__type.validation',
    '@sinapse/data.Mnist.normalization.__type.mean',
    '@sinapse/data.Mnist.normalization.__type.std',
    ...['trainImages', 'trainLabels', 'testImages', 'testLabels'].map(
      (f) => `@sinapse/data/node.MNIST_FILES.__type.${f}`,
    ),
    ...['categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy']
      .concat(['mean_squared_error', 'mse', 'MSE', 'mean_absolute_error', 'mae', 'MAE'])
      .map((alias) => `@sinapse/train.LOSS_ALIASES.__type.${alias}`),
  ],
  // Markdown for VitePress: no `@` in the paths (/api/tensor/…, not /api/@sinapse/tensor/…),
  // signatures as code blocks, parameters and fields as tables
  excludeScopesInPaths: true,
  useCodeBlocks: true,
  indexFormat: 'table',
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  classPropertiesFormat: 'table',
  typeDeclarationFormat: 'table',
  // `<i>` or `{x}` in a comment would be read as a Vue tag or template by VitePress: escape them
  sanitizeComments: true,
  sidebar: { pretty: false, collapsed: true },
};
