// The run's outcome and observer events are plugin-facing, so they live in plugin.ts with the rest of the contract.
export type { RunEnd, RunEventName, RunStatus, TrainerEvents } from '../plugin';
