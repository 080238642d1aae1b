/** A proposed mast of a scenario: where it stands and what it radiates. Shared by the page's store, the coverage model and the CityJSON exchange. */
export interface ScenarioMast {
  readonly id: string;
  readonly kind: 'mast';
  /** The operator ("mcc-net") whose network the mast joins. */
  readonly operator: string;
  readonly lonDeg: number;
  readonly latDeg: number;
  readonly antennaAglM: number;
  /** From a planned-sites file: its name (plain text), main-lobe azimuth and beamwidth (none: omni), EIRP per resource element. */
  readonly name?: string;
  readonly azimuthDeg?: number;
  readonly beamwidthDeg?: number;
  readonly eirpDbm?: number;
}
