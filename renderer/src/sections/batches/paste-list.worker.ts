import { parsePastedLines } from './paste-list.ts';

/** Parses a pasted list off the main thread: 50,000 lines must not freeze the dialog while it is typed into. */
self.onmessage = (e: MessageEvent<{ id: number; text: string }>) => {
  self.postMessage({ id: e.data.id, ...parsePastedLines(e.data.text) });
};
