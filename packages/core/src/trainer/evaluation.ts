import * as tf from '@tensorflow/tfjs-core';
import { tidyForward } from '../tidyForward';
import { checkTaps } from './checkTaps';
import type { Evaluation, ForwardResult, Model, Split, Subset, Task } from '../plugin';

/**
 * The evaluation shared by every probe at one step. The model runs once over all examples
 * (with the union of the taps asked for); train and test views are row gathers of that.
 */
export class SharedEvaluation implements Evaluation {
  readonly step: number;
  readonly metrics: Record<string, number> = {};
  #task: Task;
  #split: Split;
  #model: Model;
  #all: { result: ForwardResult; taps: Set<string> } | undefined;
  #views = new Map<Subset, ForwardResult>();
  #allIndices: Int32Array | undefined;
  #kept: tf.Tensor[] = [];

  constructor(step: number, task: Task, split: Split, model: Model) {
    this.step = step;
    this.#task = task;
    this.#split = split;
    this.#model = model;
  }

  indices(subset: Subset): Int32Array {
    if (subset === 'train') return this.#split.train;
    if (subset === 'test') return this.#split.test;
    this.#allIndices ??= Int32Array.from({ length: this.#task.examples.label.length }, (_, i) => i);
    return this.#allIndices;
  }

  labels(subset: Subset): Int32Array {
    const idx = this.indices(subset);
    const all = this.#task.examples.label;
    return subset === 'all' ? all : idx.map((i) => all[i]!);
  }

  forward(subset: Subset, taps: readonly string[] = []): ForwardResult {
    checkTaps(this.#model, taps, `from Evaluation.forward('${subset}', …)`);
    const all = this.#forwardAll(taps);
    if (subset === 'all') return all;
    const cached = this.#views.get(subset);
    if (cached && taps.every((t) => cached.taps.has(t))) return cached;
    const view = tidyForward(() => {
      const idx = tf.tensor1d(this.indices(subset), 'int32');
      const tapViews = new Map<string, tf.Tensor2D>();
      for (const [name, t] of all.taps) tapViews.set(name, tf.gather(t, idx) as tf.Tensor2D);
      return { logits: tf.gather(all.logits, idx) as tf.Tensor2D, taps: tapViews };
    });
    this.#keep(view);
    this.#views.set(subset, view);
    return view;
  }

  #forwardAll(taps: readonly string[]): ForwardResult {
    if (this.#all && taps.every((t) => this.#all!.taps.has(t))) return this.#all.result;
    const want = new Set([...(this.#all?.taps ?? []), ...taps]);
    const ex = this.#task.examples;
    const result = tidyForward(() => {
      const a = tf.tensor1d(ex.a, 'int32');
      const b = tf.tensor1d(ex.b, 'int32');
      return this.#model.forward({ a, b }, { taps: want, transforms: new Map() });
    });
    this.#keep(result);
    this.#all = { result, taps: want };
    this.#views.clear();
    return result;
  }

  #keep(r: ForwardResult): void {
    this.#kept.push(r.logits, ...r.taps.values());
  }

  /** Frees every tensor this evaluation made. */
  dispose(): void {
    tf.dispose(this.#kept);
    this.#kept = [];
    this.#all = undefined;
    this.#views.clear();
  }
}
