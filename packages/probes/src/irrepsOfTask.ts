import type { Task } from '@grokscope/core';
import { type DihedralElement, dihedralIrreps } from './dihedralIrreps';
import { type Irrep } from './irrep';
import { symmetricIrreps } from './symmetricIrreps';

/** The largest group the irreps probe measures: S6; the projection costs |G|²·d a measurement. */
export const MAX_IRREPS_ORDER = 720;

/**
 * The irreps of a task's group on its element tokens, read from the element labels that
 * @grokscope/tasks writes: one-line permutations (`[1,0,2]`) for S_n, `e`, `r1`, `s`, `sr1`, …
 * for D_n. The labels are trusted only once every example of the task composes as they say
 * (a∘b with b acting first), so a row of W_E is never paired with another element's matrix;
 * otherwise, or for another group, the reason there are none.
 */
export function irrepsOfTask(task: Task): { group: string; irreps: Irrep[] } | { reason: string } {
  const labels = task.elementLabels;
  if (labels.length !== task.order || task.order === 0) return { reason: `task ${task.name} has no element labels` };
  if (task.order > MAX_IRREPS_ORDER) {
    return { reason: `task ${task.name} has ${task.order} elements, over the probe's ${MAX_IRREPS_ORDER}` };
  }
  const perms = labels.map((l) => (/^\[\d+(,\d+)*\]$/.test(l) ? l.slice(1, -1).split(',').map(Number) : null));
  if (perms.every((p) => p !== null)) {
    const n = perms[0]!.length;
    const valid = perms.every((p) => p.length === n && [...p].sort((a, b) => a - b).every((x, i) => x === i));
    if (!valid || !composes(task, (a, b, c) => perms[b]!.every((x, i) => perms[a]![x] === perms[c]![i]))) {
      return { reason: `task ${task.name}'s permutation labels do not compose as its examples do` };
    }
    if (perms.length !== factorial(n)) {
      return { reason: `task ${task.name} has ${perms.length} permutations, not all ${factorial(n)} of S${n}` };
    }
    return { group: `S${n}`, irreps: symmetricIrreps(perms) };
  }
  const elements = labels.map((l): DihedralElement | null => {
    const m = /^(s?)(?:r(\d+))?$/.exec(l === 'e' ? '' : l);
    return m && l !== '' ? { reflection: m[1] === 's', rotation: m[2] ? Number(m[2]) : 0 } : null;
  });
  if (elements.every((e) => e !== null) && task.order % 2 === 0) {
    const n = task.order / 2;
    const distinct = new Set(elements.map((e) => `${e.reflection}${e.rotation}`)).size === task.order;
    const mod = (x: number) => ((x % n) + n) % n;
    // (s^e r^i)(r^j) = s^e r^(i+j); (s^e r^i)(s r^j) = s^(e+1) r^(j−i), as s r^i s = r^(−i).
    const product = (x: DihedralElement, y: DihedralElement): DihedralElement => {
      if (y.reflection) return { reflection: !x.reflection, rotation: mod(y.rotation - x.rotation) };
      return { reflection: x.reflection, rotation: mod(x.rotation + y.rotation) };
    };
    const ok =
      distinct &&
      elements.every((e) => e.rotation < n) &&
      composes(task, (a, b, c) => {
        const p = product(elements[a]!, elements[b]!);
        return p.reflection === elements[c]!.reflection && p.rotation === elements[c]!.rotation;
      });
    if (!ok) return { reason: `task ${task.name}'s dihedral labels do not compose as its examples do` };
    return { group: `D${n}`, irreps: dihedralIrreps(n, elements) };
  }
  return { reason: `task ${task.name} is not a symmetric or dihedral group by its element labels` };
}

function composes(task: Task, holds: (a: number, b: number, c: number) => boolean): boolean {
  const { a, b, label } = task.examples;
  for (let i = 0; i < label.length; i++) if (!holds(a[i]!, b[i]!, label[i]!)) return false;
  return true;
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}
