/**
 * Large point sets as typed-array primitives: one Cesium Primitive of POINTS per chunk, its positions and colours
 * straight from the transferred buffers. No JavaScript object per point, so a million points cost a few
 * megabytes and no garbage, and each chunk is uploaded within one short task.
 */
import {
  Appearance,
  BoundingSphere,
  ComponentDatatype,
  Geometry,
  GeometryAttribute,
  GeometryAttributes,
  GeometryInstance,
  Primitive,
  PrimitiveType,
} from 'cesium';

const VS = `
in vec3 position3DHigh;
in vec3 position3DLow;
in vec4 pointColor;
in float batchId;
out vec4 v_color;
void main() {
  vec4 p = czm_computePosition();
  v_color = pointColor;
  gl_Position = czm_modelViewProjectionRelativeToEye * p;
  gl_PointSize = 3.0 * czm_pixelRatio;
}`;
const FS = `
in vec4 v_color;
void main() {
  out_FragColor = v_color;
}`;

/** Points per primitive: encoding and uploading 50 k took 50–75 ms here (bench/import), 20 k stays well under 50 ms. */
export const POINTS_PER_CHUNK = 20_000;

/**
 * `ecef` stride 3 (metres); `rgba` 4 bytes per point. `overTerrain`: drawn without the depth test, for points
 * that carry no height (they stand for "here on the ground" and must not vanish under coarse terrain tiles).
 */
export function pointChunk(ecef: Float64Array, rgba: Uint8Array, overTerrain: boolean): Primitive {
  const attributes = new GeometryAttributes();
  attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: ecef });
  (attributes as unknown as Record<string, GeometryAttribute>)['pointColor'] = new GeometryAttribute({
    componentDatatype: ComponentDatatype.UNSIGNED_BYTE,
    componentsPerAttribute: 4,
    normalize: true,
    values: rgba,
  });
  const geometry = new Geometry({ attributes, primitiveType: PrimitiveType.POINTS, boundingSphere: BoundingSphere.fromVertices(ecef as unknown as number[]) });
  return new Primitive({
    geometryInstances: new GeometryInstance({ geometry }),
    appearance: new Appearance({
      vertexShaderSource: VS,
      fragmentShaderSource: FS,
      translucent: false,
      renderState: { depthTest: { enabled: !overTerrain }, depthMask: true },
    }),
    asynchronous: false,
    allowPicking: false,
    compressVertices: false,
    vertexCacheOptimize: false,
    interleave: false,
    releaseGeometryInstances: true,
  });
}

