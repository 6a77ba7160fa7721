import { liveRunView, type LiveRunView, type StudyLaw } from '@grokscope/analysis';
import type { RunRow, RunWatch } from './runWatch';

// The specs, the events and the thinning are @grokscope/analysis's (liveRunView), shared with the
// browser lab; re-exported here for the dashboard's existing users.
export { MAX_CHART_POINTS, thin } from '@grokscope/analysis';

/** What the page shows for one run: its row, the events, the law and the Vega-Lite specs (from the analysis package). */
export interface RunDetail extends LiveRunView {
  readonly row: RunRow;
  readonly law: StudyLaw;
}

export function runDetail(w: RunWatch, law: StudyLaw): RunDetail {
  const view = liveRunView(
    { name: w.name, condition: w.condition, status: w.status, records: w.records, events: w.events },
    law,
  );
  return { row: w.row(), ...view, law };
}
