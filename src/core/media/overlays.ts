// The boxes and masks of an image record (W&B's structure: a box set per name with `box_data`
// and `class_labels`; a mask per name with its PNG's path and `class_labels`), read into plain
// layers a page can draw. Boxes become corners; a box in the `pixel` domain stays in pixels
// (the page divides by the image's natural size). Pure: malformed boxes are left out and counted.

export interface OverlayClass {
  readonly id: number;
  readonly name: string;
}

export interface OverlayBox {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Coordinates in pixels of the image, else fractions of its width and height. */
  readonly pixel: boolean;
  readonly classId: number;
  readonly caption?: string;
  readonly scores?: Readonly<Record<string, number>>;
}

export interface BoxLayer {
  readonly name: string;
  /** Named classes, then any class id a box uses without a name (`class_N`), by id. */
  readonly classes: readonly OverlayClass[];
  readonly boxes: readonly OverlayBox[];
  /** Boxes left out because they were malformed. */
  readonly skipped: number;
}

export interface MaskLayer {
  readonly name: string;
  /** Relative to the run folder: a PNG whose pixel values are class ids. */
  readonly path: string;
  /** The classes the mask names; ids found in the pixels without a name are `class_N`. */
  readonly classes: readonly OverlayClass[];
}

export const MAX_BOXES = 10_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function className(classes: readonly OverlayClass[], id: number): string {
  return classes.find((c) => c.id === id)?.name ?? `class_${id}`;
}

function readClasses(labels: unknown): OverlayClass[] {
  if (!isObj(labels)) return [];
  const out: OverlayClass[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const id = Number(k);
    if (Number.isInteger(id) && id >= 0 && typeof v === 'string') out.push({ id, name: v });
  }
  return out.sort((a, b) => a.id - b.id);
}

function readBox(value: unknown): OverlayBox | undefined {
  if (!isObj(value) || !isObj(value.position)) return undefined;
  const p = value.position;
  let corners: [number, number, number, number];
  if (finite(p.minX) && finite(p.minY) && finite(p.maxX) && finite(p.maxY)) {
    corners = [p.minX, p.minY, p.maxX, p.maxY];
  } else if (Array.isArray(p.middle) && finite(p.middle[0]) && finite(p.middle[1]) && finite(p.width) && finite(p.height)) {
    const [x, y] = p.middle as [number, number];
    corners = [x - p.width / 2, y - p.height / 2, x + p.width / 2, y + p.height / 2];
  } else {
    return undefined;
  }
  const classId = value.class_id === undefined ? 0 : value.class_id;
  if (!Number.isInteger(classId) || (classId as number) < 0 || corners[2] < corners[0] || corners[3] < corners[1]) return undefined;
  const scores = isObj(value.scores) ? Object.fromEntries(Object.entries(value.scores).filter(([, v]) => finite(v))) as Record<string, number> : undefined;
  return {
    minX: corners[0], minY: corners[1], maxX: corners[2], maxY: corners[3],
    pixel: value.domain === 'pixel', classId: classId as number,
    ...(typeof value.box_caption === 'string' ? { caption: value.box_caption } : {}),
    ...(scores && Object.keys(scores).length > 0 ? { scores } : {}),
  };
}

/** The box sets of an image record's `boxes` field, by name. */
export function readBoxLayers(field: unknown): BoxLayer[] {
  if (!isObj(field)) return [];
  const layers: BoxLayer[] = [];
  for (const [name, set] of Object.entries(field)) {
    if (!isObj(set) || !Array.isArray(set.box_data)) continue;
    const boxes: OverlayBox[] = [];
    let skipped = 0;
    for (const raw of set.box_data.slice(0, MAX_BOXES)) {
      const box = readBox(raw);
      if (box) boxes.push(box);
      else skipped++;
    }
    skipped += Math.max(0, set.box_data.length - MAX_BOXES);
    const classes = readClasses(set.class_labels);
    for (const id of new Set(boxes.map((b) => b.classId))) if (!classes.some((c) => c.id === id)) classes.push({ id, name: `class_${id}` });
    layers.push({ name, classes: classes.sort((a, b) => a.id - b.id), boxes, skipped });
  }
  return layers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The masks of an image record's `masks` field, by name (those without a path are left out). */
export function readMaskLayers(field: unknown): MaskLayer[] {
  if (!isObj(field)) return [];
  const layers: MaskLayer[] = [];
  for (const [name, mask] of Object.entries(field)) {
    if (!isObj(mask) || typeof mask.path !== 'string' || mask.path === '') continue;
    layers.push({ name, path: mask.path, classes: readClasses(mask.class_labels) });
  }
  return layers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
