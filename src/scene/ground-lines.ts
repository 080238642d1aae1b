/** Lines draped on the terrain (GroundPolylinePrimitive), grouped by style: one primitive per style. */
import {
  Cartesian3,
  Color,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  Material,
  PolylineMaterialAppearance,
} from 'cesium';

export interface LineStyle {
  readonly color: string;
  readonly widthPx: number;
  readonly dashed?: boolean;
}

/** `ecef` holds one line as x,y,z triples (metres). */
export function groundLines(lines: readonly Float64Array[], style: LineStyle): GroundPolylinePrimitive {
  const instances = lines
    .filter((l) => l.length >= 6)
    .map((l) => new GeometryInstance({ geometry: new GroundPolylineGeometry({ positions: Cartesian3.unpackArray(Array.from(l)), width: style.widthPx }) }));
  const color = Color.fromCssColorString(style.color);
  const material = style.dashed
    ? Material.fromType('PolylineDash', { color, gapColor: Color.TRANSPARENT, dashLength: 24 })
    : Material.fromType('Color', { color });
  return new GroundPolylinePrimitive({ geometryInstances: instances, appearance: new PolylineMaterialAppearance({ material }), asynchronous: true });
}
