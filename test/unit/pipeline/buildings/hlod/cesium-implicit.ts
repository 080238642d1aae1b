/**
 * CesiumJS's own implicit-tiling classes (private to its typings, public in its modules): the independent decoder
 * the subtree files and the Morton order are checked against.
 */
import * as engine from '@cesium/engine';

interface Coordinates { level: number; x: number; y: number }
export interface CesiumImplicit {
  MortonOrder: { encode2D(x: number, y: number): number };
  ImplicitSubdivisionScheme: { QUADTREE: string };
  ImplicitTileCoordinates: new (o: { subdivisionScheme: string; subtreeLevels: number; level: number; x: number; y: number }) => Coordinates;
  ImplicitTileset: new (resource: engine.Resource, tileJson: unknown, schema: undefined) => object;
  ImplicitSubtree: {
    fromSubtreeJson(resource: engine.Resource, json: undefined, bytes: Uint8Array, tileset: object, coordinates: Coordinates): Promise<{
      tileIsAvailableAtCoordinates(c: Coordinates): boolean;
      contentIsAvailableAtCoordinates(c: Coordinates, content: number): boolean;
      childSubtreeIsAvailableAtCoordinates(c: Coordinates): boolean;
    }>;
  };
}

export const cesium = engine as unknown as CesiumImplicit & { Resource: typeof engine.Resource };
