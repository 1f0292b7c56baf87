/**
 * A filled integer array on the JS heap, for the engine's big working arrays. Not an Int32Array:
 * V8 counts ArrayBuffers as external memory and, past about 64 MB of them since the last
 * collection, forces a full collection of the whole heap — with a million parsed applicants in it,
 * a second or more each time (bench/README.md).
 */
export const ints = (n: number, fill = 0): number[] => new Array<number>(n).fill(fill);
