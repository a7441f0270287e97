/**
 * Everything this package assumes about Circularo's API where Circularo's documentation is silent
 * or varies between versions, one module per concern and nothing else in them. Each point is read
 * leniently and named once, so that a fact learned from a real tenant changes one line.
 * docs/assumptions.md lists them for users, in this order.
 */
export * from './answers';
export * from './documents';
export * from './search';
export * from './sharing';
export * from './deliveries';
export * from './webhooks';
export * from './errors';
export * from './downloads';
export * from './waiting';
