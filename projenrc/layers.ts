/**
 * The layers of src/, lowest first. A module may import from its own layer and the layers below it, never
 * from a layer above; an area's `private/` folder is importable only from inside that area. The ESLint rule
 * `import/no-restricted-paths` built from this list enforces both (see CONTRIBUTING.md).
 */
export const LAYERS: string[][] = [
  ['models'],
  ['tags'],
  ['private'], // helpers several areas share (errors, validation, hardened buckets, acknowledgement ids)
  ['profiles'],
  ['levers'], // below teams: a team creates its batch role and publishes its ladder
  ['teams'],
  ['access'],
  ['logging', 'billing', 'budgets', 'monitoring', 'audit', 'nag'],
  ['scale'],
  ['organization'], // the organization layout: StackSets of member stacks, the management-account part
];

/** The facade's files at the top of src/: they may import every layer. */
export const FACADE_FILES = ['governance.ts', 'governance-props.ts', 'index.ts'];

/** The areas that keep private code in `src/<area>/private/`. */
export const AREAS_WITH_PRIVATE = ['profiles', 'access', 'audit', 'billing', 'budgets', 'logging', 'monitoring', 'nag', 'scale', 'organization'];

interface Zone {
  readonly target: string[];
  readonly from: string[];
  readonly message: string;
}

/** The zones of `import/no-restricted-paths` that encode `LAYERS` and the private folders. */
export function layerZones(): Zone[] {
  const zones: Zone[] = [];
  const facade = FACADE_FILES.map((f) => `./src/${f}`);
  LAYERS.forEach((layer, i) => {
    const above = LAYERS.slice(i + 1).flat();
    zones.push({
      target: layer.map((area) => `./src/${area}`),
      from: [...above.map((area) => `./src/${area}`), ...facade],
      message: `layer '${layer.join('/')}' may not import a higher layer (${[...above, 'facade'].join(', ')}); see CONTRIBUTING.md`,
    });
  });
  const allAreas = LAYERS.flat();
  for (const area of AREAS_WITH_PRIVATE) {
    zones.push({
      target: [...allAreas.filter((a) => a !== area).map((a) => `./src/${a}`), ...facade],
      from: [`./src/${area}/private`],
      message: `src/${area}/private/ is importable only from src/${area}/; move what several areas share to src/private/`,
    });
  }
  return zones;
}
