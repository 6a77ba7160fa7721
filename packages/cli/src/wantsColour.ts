type Stream = { readonly isTTY?: boolean };
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether grokscope may colour what it writes to `stream`: only on a terminal, and never when the
 * user set NO_COLOR (https://no-color.org: present and not empty, whatever its value). Piped or
 * redirected output is read by programs and logs, where escape codes are noise.
 */
export function wantsColour(stream: Stream = process.stdout, env: Env = process.env): boolean {
  const noColour = env['NO_COLOR'];
  if (noColour !== undefined && noColour !== '') return false;
  return stream.isTTY === true;
}
