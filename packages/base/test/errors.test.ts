import { ConfigError, GrokscopeError } from '../src/errors';

test('ConfigError names the field in its message and carries the E_CONFIG code', () => {
  const err = new ConfigError('task.modulus', 'must be a prime ≥ 3, got 4');
  expect(err).toBeInstanceOf(GrokscopeError);
  expect(err).toBeInstanceOf(Error);
  expect(err).toMatchObject({
    name: 'ConfigError',
    code: 'E_CONFIG',
    field: 'task.modulus',
    message: 'task.modulus: must be a prime ≥ 3, got 4',
  });
});

test('GrokscopeError keeps the cause and takes its subclass’s name', () => {
  class DiskError extends GrokscopeError {}
  const cause = new Error('ENOSPC');
  const err = new DiskError('E_DISK', 'disk full', { cause });
  expect(err).toMatchObject({ name: 'DiskError', code: 'E_DISK', cause });
});
