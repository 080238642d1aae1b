/**
 * The page's side of importing: the import pool, started on the first import (imports are rare; a worker held
 * from page load would only cost memory), behind the controller's `ImportService` contract.
 */
import type { ImportService } from '../layers/imported/controller';
import type { AppStore } from '../state/store';
import { loadGeodesyInit } from './geodesy-init';
import { createImportPool, type ImportPool } from './import-pool';
import { poolNotices } from './reproject-service';

export function createImportService(store: AppStore, tilesetsBase: string): ImportService {
  let pool: ImportPool | null = null;
  const get = (): ImportPool =>
    (pool ??= createImportPool({
      loadInit: () => loadGeodesyInit(tilesetsBase),
      onJobEvent: (e) => store.getState().updateJob(e),
      onPoolEvent: poolNotices(store, 'Import'),
    }));
  return {
    inspect: (key, file) => get().run('inspect', key, file),
    convert: (key, file, choice, onProgress) =>
      get().run(
        'convert',
        key,
        {
          ...file,
          epsg: choice.epsg,
          swapAxes: choice.swapAxes,
          columns: choice.candidate?.columns,
          verticalDatum: choice.candidate?.verticalDatum,
        },
        { onProgress },
      ),
    exportGeoJson: (key, layer, epsg) => get().run('exportGeoJson', key, { layer, epsg }),
  };
}
