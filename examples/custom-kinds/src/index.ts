import { modelKinds } from '@grokscope/models';
import { taskKinds } from '@grokscope/tasks';
import { bagKind } from './bagKind';
import { squaresKind } from './squaresKind';

// One registry line per kind: from here on `{ kind: 'squares' }` and `{ kind: 'bag' }` are kinds
// like the built-ins (taskFromSpec, createModel, describeTaskConfig…). A config file names the
// kind's own file instead (`{ module: './dist/squaresKind.js' }`), which registers it the same way.
taskKinds.register(squaresKind);
modelKinds.register(bagKind);

export { bagKind, squaresKind };
