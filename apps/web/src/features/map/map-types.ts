/** Map state shared by pages and the (lazily loaded) map: no MapLibre import here. */

export interface MapLayerToggles {
  boundaries: boolean;
  streets: boolean;
  assets: boolean;
  residents: boolean;
}

export const DEFAULT_LAYERS: MapLayerToggles = {
  boundaries: true,
  streets: true,
  assets: true,
  residents: true,
};

export type MapSelection =
  | { kind: "asset"; id: string; name: string; type: string }
  | { kind: "community"; id: string; name: string; level: string | null }
  | { kind: "resident"; id: string }
  | { kind: "cluster"; count: number };
