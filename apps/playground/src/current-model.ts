import type { Sequential } from '@scratchnet/model';

/** The model the Draw panel predicts with and the Save panel saves, and where it came from. */
export interface CurrentModel {
  model: Sequential;
  label: string;
}

type Listener = (current: CurrentModel) => void;
const listeners: Listener[] = [];
let current: CurrentModel | undefined;

export function getCurrentModel(): CurrentModel | undefined {
  return current;
}

export function setCurrentModel(model: Sequential, label: string): void {
  current = { model, label };
  for (const listener of listeners) listener(current);
}

export function onCurrentModel(listener: Listener): void {
  listeners.push(listener);
}
