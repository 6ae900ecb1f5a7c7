/**
 * Structure-aware mutations, as fast-check arbitraries: each takes a valid case and gives a
 * damaged one with a description of the damage. Bytes are truncated, bit-flipped or overwritten;
 * JSON is edited where it has meaning (a number inflated, made negative, NaN, a string or null; a
 * field deleted; a class name replaced); files are deleted or emptied. Targets combine these with
 * their own (an IDX header's dimensions, a model's shards).
 */
import fc from 'fast-check';
import type { FuzzCase } from './target';

type Files = Readonly<Record<string, Uint8Array>>;
export type Mutation = fc.Arbitrary<(c: FuzzCase) => FuzzCase>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function withFile(c: FuzzCase, name: string, bytes: Uint8Array | null, what: string): FuzzCase {
  const files: Record<string, Uint8Array> = { ...c.files };
  if (bytes === null) delete files[name];
  else files[name] = bytes;
  return { files, description: c.description === '' ? what : `${c.description}; ${what}` };
}

/** A file of the case, chosen by a fraction in [0, 1) so the arbitrary does not depend on the case. */
function pick(files: Files, at: number): string | undefined {
  const names = Object.keys(files).sort();
  return names[Math.floor(at * names.length)];
}

/**
 * A position, as a fraction in [0, 1): uniform mostly (fast-check's own bias towards small values
 * would always edit the first layer and cut files at byte 0), sometimes one of the ends.
 */
const fraction = fc.oneof(
  { weight: 9, arbitrary: fc.noBias(fc.integer({ min: 0, max: 2 ** 30 - 1 })).map((i) => i / 2 ** 30) },
  { weight: 1, arbitrary: fc.constantFrom(0, 0.999999) },
);

/** Cuts a file short at a position. */
export const truncate: Mutation = fc.tuple(fraction, fraction).map(([f, at]) => (c: FuzzCase) => {
  const name = pick(c.files, f);
  if (name === undefined) return c;
  const bytes = c.files[name]!;
  const end = Math.floor(at * bytes.length);
  return withFile(c, name, bytes.slice(0, end), `truncated ${name} at byte ${end} of ${bytes.length}`);
});

/** Flips 1 to 8 bits, anywhere in a file. */
export const flipBits: Mutation = fc
  .tuple(fraction, fc.array(fc.tuple(fraction, fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }))
  .map(([f, flips]) => (c: FuzzCase) => {
    const name = pick(c.files, f);
    if (name === undefined || c.files[name]!.length === 0) return c;
    const bytes = c.files[name]!.slice();
    const where = flips.map(([at, bit]) => {
      const i = Math.floor(at * bytes.length);
      bytes[i] = bytes[i]! ^ (1 << bit);
      return `${i}.${bit}`;
    });
    return withFile(c, name, bytes, `flipped bits ${where.join(', ')} of ${name}`);
  });

/** Overwrites 1 to 4 bytes with random values (0, 0xff and the rest). */
export const setBytes: Mutation = fc
  .tuple(
    fraction,
    fc.array(fc.tuple(fraction, fc.oneof(fc.constant(0), fc.constant(255), fc.integer({ min: 0, max: 255 }))), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([f, sets]) => (c: FuzzCase) => {
    const name = pick(c.files, f);
    if (name === undefined || c.files[name]!.length === 0) return c;
    const bytes = c.files[name]!.slice();
    const where = sets.map(([at, v]) => {
      const i = Math.floor(at * bytes.length);
      bytes[i] = v;
      return `${i}=${v}`;
    });
    return withFile(c, name, bytes, `set bytes ${where.join(', ')} of ${name}`);
  });

/** Appends bytes to a file. */
export const append: Mutation = fc
  .tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 16 }))
  .map(([f, extra]) => (c: FuzzCase) => {
    const name = pick(c.files, f);
    if (name === undefined) return c;
    const old = c.files[name]!;
    const bytes = new Uint8Array(old.length + extra.length);
    bytes.set(old);
    bytes.set(extra, old.length);
    return withFile(c, name, bytes, `appended ${extra.length} bytes to ${name}`);
  });

/**
 * The files a case's mutations deleted, from its description ("deleted model.json"): a reader
 * asked for a deleted file should name it, though the case no longer holds it.
 */
export function deletedFiles(c: FuzzCase): string[] {
  return [...c.description.matchAll(/(?:^|; )deleted ([^\s;]+)/g)].map((m) => m[1]!);
}

/** Deletes a file, or empties it. */
export const deleteOrEmpty: Mutation = fc.tuple(fraction, fc.boolean()).map(([f, remove]) => (c: FuzzCase) => {
  const name = pick(c.files, f);
  if (name === undefined) return c;
  return remove ? withFile(c, name, null, `deleted ${name}`) : withFile(c, name, new Uint8Array(0), `emptied ${name}`);
});

// ---- JSON ---------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `v` (object keys and array indices), the root excluded. */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      paths(x, [...prefix, i], out);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      paths(x, [...prefix, k], out);
    }
  }
  return out;
}

/** What a value at a path becomes. Numbers are inflated (the case of issue 16's units: 100000000). */
type Edit =
  | { kind: 'scale'; by: number }
  | { kind: 'set'; value: Json | undefined; raw?: string }
  | { kind: 'delete' }
  | { kind: 'rename'; to: string };

const edits: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(10, 1000, 1e8, -1, 0, 0.5).map((by): Edit => ({ kind: 'scale', by })) },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom<Json>(
        2 ** 31,
        2 ** 31 - 1,
        2 ** 32,
        2 ** 53,
        1e300,
        -1,
        0,
        1.5,
        null,
        '',
        'x',
        true,
        [],
        {},
        [1e9, 1e9],
        [-1],
      )
      .map((value): Edit => ({ kind: 'set', value })),
  },
  // tokens JSON.stringify cannot write: a hand-edited file may still hold them
  {
    weight: 1,
    arbitrary: fc.constantFrom('NaN', 'Infinity', '-0', '1e999').map((raw): Edit => ({ kind: 'set', value: 0, raw })),
  },
  { weight: 2, arbitrary: fc.constant<Edit>({ kind: 'delete' }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('Dens', 'Conv3D', 'Lambda', 'constructor', '__proto__', 'toString')
      .map((to): Edit => ({ kind: 'rename', to })),
  },
);

/** Applies an edit at a path of a JSON value, in place; returns how to describe it, or null if it did nothing. */
function applyEdit(root: Json, path: (string | number)[], edit: Edit): { text: string; raw?: string } | null {
  let parent = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const key = path.at(-1)!;
  const old = parent[key];
  const at = path.join('.');
  switch (edit.kind) {
    case 'scale':
      if (typeof old !== 'number') return null;
      parent[key] = old * edit.by;
      return { text: `${at}: ${old} × ${edit.by}` };
    case 'set':
      if (edit.raw !== undefined) {
        parent[key] = '\u0000RAW\u0000';
        return { text: `${at} = ${edit.raw}`, raw: edit.raw };
      }
      // a copy: the constant [] or {} is one object, which a later edit could put inside itself
      parent[key] = structuredClone(edit.value) as Json;
      return { text: `${at} = ${JSON.stringify(edit.value)}` };
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return { text: `deleted ${at}` };
    case 'rename':
      if (typeof old !== 'string') return null;
      parent[key] = edit.to;
      return { text: `${at}: '${old}' → '${edit.to}'` };
  }
}

/**
 * Edits 1 to 3 values of a JSON file, chosen among all its paths (or, with `focus`, among those
 * whose path matches it, with odds `focusOdds`: a target's interesting fields).
 * @param after a last touch on the edited JSON (dropping a checksum the edit would trip, say), or none.
 */
export function editJson(
  file: string,
  focus?: RegExp,
  after?: (json: Record<string, unknown>) => string,
  focusOdds = 0.5,
): Mutation {
  const focused = fraction.map((f) => f < focusOdds);
  return fc
    .tuple(fc.array(fc.tuple(fraction, focused, edits), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([changes, touch]) => (c: FuzzCase) => {
      const bytes = c.files[file];
      if (bytes === undefined) return c;
      let json: Json;
      try {
        json = JSON.parse(decoder.decode(bytes));
      } catch {
        return c;
      }
      const done: string[] = [];
      let raw: string | undefined;
      for (const [at, focused, edit] of changes) {
        const all = paths(json);
        const chosen = focus !== undefined && focused ? all.filter((p) => focus.test(p.join('.'))) : all;
        const list = chosen.length > 0 ? chosen : all;
        if (list.length === 0) break;
        const path = list[Math.floor(at * list.length)]!;
        const result = applyEdit(json, path, edit);
        if (result === null) continue;
        done.push(result.text);
        raw = result.raw ?? raw;
      }
      if (done.length === 0) return c;
      let text = touch && after !== undefined ? after(json as Record<string, unknown>) : JSON.stringify(json);
      if (raw !== undefined) text = text.replace('"\\u0000RAW\\u0000"', raw);
      const tail = touch && after !== undefined ? ' (then the checksum fixed)' : '';
      return withFile(c, file, encoder.encode(text), `edited ${file}: ${done.join(', ')}${tail}`);
    });
}

/** Applies 1 to `max` mutations in turn. */
export function mutated(base: fc.Arbitrary<FuzzCase>, mutations: readonly Mutation[], max = 3): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(base, fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: max }))
    .map(([c, ms]) => ms.reduce((acc, m) => m(acc), c));
}

export const bytesMutations: readonly Mutation[] = [truncate, flipBits, setBytes, append, deleteOrEmpty];
