/**
 * What a worker or a page ships: `puretls/ssl` and `puretls/edge`, through
 * the package's own `exports`. Bundled alone (`bundle.ts`) it is the module
 * the tests load as `./puretls.js`, and the size the docs quote.
 */
export * from 'puretls/ssl';
export * from 'puretls/edge';
