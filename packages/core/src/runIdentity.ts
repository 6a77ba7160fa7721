/**
 * What a checkpoint must match for a run of `config` to continue from it (`RunDescription.identity`):
 * the config less its step cap `train.steps`, so a run resumed with a longer cap is the same run.
 * Existing checkpoints store exactly this, so its shape must not change. One shard, said or not, is
 * the run it always was: checkpoints from before shards existed match. The CLI and the lab both
 * describe their runs by it.
 */
export function runIdentity<C extends { readonly train: { readonly steps: number; readonly shards?: number } }>(
  config: C,
): Readonly<Record<string, unknown>> {
  const { steps: _steps, shards, ...rest } = config.train;
  const train = shards === undefined || shards === 1 ? rest : { ...rest, shards };
  return { ...config, train };
}
