// Runs in: main (core). The limits live in shared/ (the MLflow layer checks a batch before reading
// it); the core's modules keep importing them from here.
export * from '../../../shared/tracking/limits';
