import { CayleyTableError } from './cayleyTableError';

// The browser's twin of cayleyFile.ts (package.json's "browser" field swaps it in for bundlers):
// paths are plain strings and there is no file to read. Give a page its table with `cayleyTask`.

const parts = (file: string): string[] => file.split('/').filter((p) => p !== '' && p !== '.');

export const resolveFrom = (baseDir: string, file: string): string =>
  file.startsWith('/') ? file : [...parts(baseDir), ...parts(file)].join('/');
export const baseName = (file: string, ext?: string): string => {
  const last = parts(file).at(-1) ?? '';
  return ext && last.endsWith(ext) ? last.slice(0, -ext.length) : last;
};
export const extName = (file: string): string => {
  const last = parts(file).at(-1) ?? '';
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot) : '';
};

export function readCayleyText(file: string): string {
  throw new CayleyTableError(
    file,
    'is a file, and a browser reads no files; build the task from the table itself with cayleyTask(table)',
  );
}
