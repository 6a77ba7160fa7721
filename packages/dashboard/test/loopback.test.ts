import { hostHeaderName, isLoopback } from '../src/loopback';

test('loopback is decided by the address, not a list of spellings', () => {
  const yes = [
    '127.0.0.1',
    '127.0.0.2',
    '127.255.255.254',
    'localhost',
    'LOCALHOST',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.2',
    '[::ffff:7f00:1]',
  ];
  const no = [
    '0.0.0.0',
    '128.0.0.1',
    '10.0.0.1',
    '::',
    '::2',
    '::ffff:10.0.0.1',
    'evil.example',
    '127.0.0.1.evil.example',
    'localhost.evil',
    '',
    '1::1',
  ];
  expect(yes.filter((h) => !isLoopback(h))).toEqual([]);
  expect(no.filter((h) => isLoopback(h))).toEqual([]);
});

test('the name of a Host header drops only the port', () => {
  expect(['127.0.0.2:4177', '[::1]:80', '[::1]', 'localhost', 'evil.example:80'].map(hostHeaderName)).toEqual([
    '127.0.0.2',
    '[::1]',
    '[::1]',
    'localhost',
    'evil.example',
  ]);
});
