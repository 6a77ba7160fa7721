/**
 * Differences between a stored config and a new one, as `field: old → new`. `train.steps` may
 * differ (a longer cap extends a run), and fields the stored config lacks (written by an older
 * version, before they existed) take the new value. Used to refuse continuing a run with
 * another config: by the CLI against `manifest.json`, by the trainer against a checkpoint.
 */
export function diffConfigs(stored: unknown, next: unknown, prefix = ''): string[] {
  if (prefix === 'train.steps' || stored === undefined) return [];
  const isObj = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(stored) || !isObj(next)) {
    return JSON.stringify(stored) === JSON.stringify(next)
      ? []
      : [`${prefix || '(root)'}: ${JSON.stringify(stored)} → ${JSON.stringify(next)}`];
  }
  const a = stored as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffConfigs(a[k], b[k], prefix ? `${prefix}.${k}` : k));
}
