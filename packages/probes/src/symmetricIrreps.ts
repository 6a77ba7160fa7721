import { type Irrep } from './irrep';

/** The partitions of n, largest first in reverse lexicographic order: [n] (trivial) … [1,…,1] (sign). */
export function partitions(n: number, max = n): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (let first = Math.min(n, max); first >= 1; first--) {
    for (const rest of partitions(n - first, first)) out.push([first, ...rest]);
  }
  return out;
}

/** Standard Young tableaux of `shape`, each as the (row, column) of the cell holding 0, 1, …, n−1. */
function standardTableaux(shape: readonly number[]): [number, number][][] {
  const n = shape.reduce((s, x) => s + x, 0);
  const out: [number, number][][] = [];
  const lengths = shape.map(() => 0);
  const cells: [number, number][] = [];
  const place = (v: number): void => {
    if (v === n) {
      out.push(cells.slice());
      return;
    }
    // v may end row i when the row has room and stays no longer than the row above.
    for (let i = 0; i < shape.length; i++) {
      if (lengths[i]! < shape[i]! && (i === 0 || lengths[i - 1]! > lengths[i]!)) {
        cells.push([i, lengths[i]!]);
        lengths[i]!++;
        place(v + 1);
        lengths[i]!--;
        cells.pop();
      }
    }
  };
  place(0);
  return out;
}

/**
 * ρ_λ(s_i) for the adjacent transposition s_i = (i i+1) in Young's orthogonal form: with the
 * axial distance r = content(i+1) − content(i) in tableau T (content = column − row),
 * ρ(s_i) e_T = e_T / r + √(1 − 1/r²) e_{s_i T}, the second term only when s_i T is standard.
 * The sparse form (two entries a row at most) is what makes building every ρ(g) cheap.
 */
function adjacentTranspositions(shape: readonly number[]): { dim: number; rows: { col: number; value: number }[][][] } {
  const tableaux = standardTableaux(shape);
  const n = shape.reduce((s, x) => s + x, 0);
  const key = (t: [number, number][]) => t.map(([r, c]) => `${r}.${c}`).join(' ');
  const index = new Map(tableaux.map((t, i) => [key(t), i]));
  const rows: { col: number; value: number }[][][] = [];
  for (let i = 0; i + 1 < n; i++) {
    rows.push(
      tableaux.map((t) => {
        const [ra, ca] = t[i]!;
        const [rb, cb] = t[i + 1]!;
        const r = cb - rb - (ca - ra);
        const entries = [{ col: index.get(key(t))!, value: 1 / r }];
        const swapped = t.slice();
        [swapped[i], swapped[i + 1]] = [t[i + 1]!, t[i]!];
        const other = index.get(key(swapped));
        if (other !== undefined) entries.push({ col: other, value: Math.sqrt(1 - 1 / (r * r)) });
        return entries;
      }),
    );
  }
  return { dim: tableaux.length, rows };
}

/**
 * Every irrep of S_n, one per partition of n (`partitions` order), in Young's orthogonal form,
 * evaluated on `perms` (one-line notation, p[i] the image of i, composed right to left as in
 * @grokscope/tasks: (g∘h)(i) = g(h(i))), so ρ(g∘h) = ρ(g)ρ(h). `perms` must hold all n! permutations
 * (any order): each ρ(g) comes from a neighbour s_i∘g' found breadth-first from the identity, one
 * sparse product per element rather than a product along a reduced word.
 */
export function symmetricIrreps(perms: readonly (readonly number[])[]): Irrep[] {
  const n = perms[0]?.length ?? 0;
  const order = perms.length;
  const key = (p: readonly number[]) => p.join(',');
  const position = new Map(perms.map((p, i) => [key(p), i]));
  if (position.size !== order || perms.some((p) => p.length !== n)) {
    throw new RangeError('symmetricIrreps: the permutations are not distinct and of one size');
  }
  // The breadth-first tree: each element after the identity is s_i ∘ parent, (s_i∘g)(x) = s_i(g(x)).
  const identity = [...Array(n).keys()];
  const start = position.get(key(identity));
  if (start === undefined) throw new RangeError('symmetricIrreps: the identity is missing');
  const visit: { at: number; parent: number; generator: number }[] = [{ at: start, parent: -1, generator: -1 }];
  const seen = new Set([start]);
  for (let q = 0; q < visit.length; q++) {
    const g = perms[visit[q]!.at]!;
    for (let i = 0; i + 1 < n; i++) {
      const h = g.map((x) => (x === i ? i + 1 : x === i + 1 ? i : x));
      const at = position.get(key(h));
      if (at === undefined) {
        throw new RangeError(`symmetricIrreps: [${h.join(',')}] is missing; give all ${n}! permutations`);
      }
      if (!seen.has(at)) {
        seen.add(at);
        visit.push({ at, parent: visit[q]!.at, generator: i });
      }
    }
  }
  return partitions(n).map((shape) => {
    const { dim, rows } = adjacentTranspositions(shape);
    const matrices = new Array<Float64Array>(order);
    const id = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) id[i * dim + i] = 1;
    matrices[start] = id;
    for (const { at, parent, generator } of visit.slice(1)) {
      const m = new Float64Array(dim * dim);
      const from = matrices[parent]!;
      rows[generator]!.forEach((entries, row) => {
        for (const { col, value } of entries) {
          for (let j = 0; j < dim; j++) m[row * dim + j]! += value * from[col * dim + j]!;
        }
      });
      matrices[at] = m;
    }
    return { name: `[${shape.join(',')}]`, dim, matrices };
  });
}
