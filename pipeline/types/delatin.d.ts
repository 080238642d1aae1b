/** delatin ships no types: the part of its API the terrain step uses. */
declare module 'delatin' {
  export default class Delatin {
    constructor(data: ArrayLike<number>, width: number, height?: number);
    run(maxError?: number): void;
    /** x, y grid positions, two a vertex. */
    readonly coords: number[];
    /** Vertex indices, three a triangle. */
    readonly triangles: number[];
  }
}
