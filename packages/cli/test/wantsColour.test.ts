/**
 * No escape codes where the user did not ask for them: NO_COLOR (https://no-color.org) or output
 * that is not a terminal turns colour off everywhere, the chart at the end of `grokscope train`
 * included. The end-to-end tests run the BUILT binary under a pseudo-terminal (util-linux
 * `script`, as progress.test.ts does): build first, `npx tsc -b packages/cli`.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { storyOf, terminalChart } from '../src/runEnding';
import { wantsColour } from '../src/wantsColour';
import { bin, tmp, writeConfig } from './cliHarness';

const ESC = '\x1b';

test('colour only on a terminal, and never with NO_COLOR set to anything but the empty string', () => {
  expect(wantsColour({ isTTY: true }, {})).toBe(true);
  expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  expect(wantsColour({ isTTY: true }, { NO_COLOR: 'false' })).toBe(false);
  // no-color.org: an empty NO_COLOR is as good as unset.
  expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  expect(wantsColour({ isTTY: false }, {})).toBe(false);
  expect(wantsColour({}, {})).toBe(false);
});

test('the terminal chart without colour holds no escape code, and the same chart with colour does', () => {
  const records = [0, 100, 200, 300].map((step, i) => ({
    step,
    wallMs: step,
    metrics: { 'accuracy/train': 1, 'accuracy/test': [0.1, 0.2, 0.9, 1][i]!, 'entropy/Hn': [0.9, 0.8, 0.5, 0.4][i]! },
  }));
  const story = storyOf(records, { memorised: 0.99, grokked: 0.95, entropy: 0.61 });
  expect(story.tCross).not.toBeNull();
  expect(story.tGrok).not.toBeNull();
  const plain = terminalChart(records, story, 80, false);
  expect(plain).not.toContain(ESC);
  expect(plain).toContain('t_grok = 300');
  expect(terminalChart(records, story, 80, true)).toContain(ESC);
  // Uncoloured, it is the same chart: the coloured one with its escape codes taken out.
  expect(terminalChart(records, story, 80, true).replace(/\x1b\[\d+m/g, '')).toBe(plain);
});

describe('grokscope train end to end', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = tmp();
    config = writeConfig(dir);
  });
  const env = (extra: Record<string, string>) => {
    const e: Record<string, string | undefined> = { ...process.env, ...extra };
    if (!('NO_COLOR' in extra)) delete e['NO_COLOR'];
    return e as NodeJS.ProcessEnv;
  };
  /** `grokscope train` on a pseudo-terminal: what the user's terminal receives. */
  const onTerminal = (out: string, extra: Record<string, string>) => {
    const noScript = spawnSync('script', ['--version']).error;
    if (noScript) throw new Error('this test needs `script` (util-linux) on PATH: apt-get install bsdutils');
    const argv = [process.execPath, bin, 'train', '--config', config, '--out', path.join(dir, out)];
    const cmd = argv.map((a) => `'${a}'`).join(' ');
    return spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120000, env: env(extra) });
  };

  test('NO_COLOR on a terminal: the bar, the chart and the story, and not one ESC byte', () => {
    const r = onTerminal('no-colour', { NO_COLOR: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('H̃* = '); // the chart's legend: the chart was drawn
    expect(r.stdout).toContain('what this run shows:');
    expect(r.stdout).not.toContain(ESC);
  });

  test('on a terminal without NO_COLOR the chart is coloured (the control for the test above)', () => {
    const r = onTerminal('colour', {});
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('H̃* = ');
    expect(r.stdout).toContain(`${ESC}[36m`);
  });

  test('stdout not a terminal: no escape code, NO_COLOR unset', () => {
    const r = spawnSync(process.execPath, [bin, 'train', '--config', config, '--out', path.join(dir, 'piped')], {
      encoding: 'utf8',
      timeout: 120000,
      env: env({}),
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^step 120\/120 /m);
    expect(r.stdout + r.stderr).not.toContain(ESC);
  });
});
