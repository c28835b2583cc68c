// Runs in: main and renderer (shared). The shapes of the things that cross the contract, gathered
// from the domain files where they now live beside their methods. Kept as a barrel because the
// renderer, the CLI and the tests import these shapes from here in well over a hundred places;
// new code may import from the domain file directly.
export * from './common';
export * from './app';
export * from './tracking';
export * from './data';
export * from './pipelines';
export * from './models';
export * from './drift';
export * from './monitors';
export * from './predictions';
export * from './reports';
export * from './deployments';
export * from './tour';
export * from './demo';
