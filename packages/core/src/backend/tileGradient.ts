import * as tf from '@tensorflow/tfjs-core';

/**
 * The gradient of Tile (what `tf.tile` and `tf.broadcastTo` run) as one Reshape, Transpose and
 * Sum, registered over tfjs-core's, which adds one Slice per repetition: broadcasting a [1, d]
 * row to [2823, d] cost 2,823 Slices and Adds in the backward pass (docs/throughput.md § Kernels
 * replaced). dy, of shape [r0·s0, r1·s1, …], is viewed as [r0, s0, r1, s1, …], the repetition
 * axes are moved last, and they are summed — the same terms tfjs-core's loop adds, in the
 * same order (repetitions lexicographic, starting from zero), so on a backend whose Sum adds
 * sequentially the result is bitwise the loop's (packages/core/test/tileGradient.test.ts).
 */
export function registerTileGradient(): void {
  tf.registerGradient({
    kernelName: tf.Tile,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      const reps = (attrs as unknown as { reps: number[] }).reps;
      return {
        x: () => {
          const s = x!.shape;
          const rank = s.length;
          const split: number[] = [];
          for (let i = 0; i < rank; i++) split.push(reps[i]!, s[i]!);
          // [r0, s0, r1, s1, …] → [s0, s1, …, r0, r1, …]
          const perm = [
            ...Array.from({ length: rank }, (_, i) => 2 * i + 1),
            ...Array.from({ length: rank }, (_, i) => 2 * i),
          ];
          const size = s.reduce((a, b) => a * b, 1);
          const repeats = reps.reduce((a, b) => a * b, 1);
          const moved = tf.transpose(tf.reshape(dy as tf.Tensor, split), perm);
          return tf.reshape(tf.sum(tf.reshape(moved, [size, repeats]), 1), s);
        },
      };
    },
  });
}
