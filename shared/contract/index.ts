// Runs in: main and renderer. The contract's public face.
export * from './names';
export * from './errors';
export * from './schemas';
export * from './methods';
export * from './events';
export * from './client';
export * from './wire';
