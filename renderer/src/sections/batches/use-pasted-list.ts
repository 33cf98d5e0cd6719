import { useEffect, useRef, useState } from 'react';
import { parsePastedLines, type ParsedPaste } from './paste-list.ts';

/** Below this a list parses in well under a frame: no worker round trip. */
const INLINE_CHARS = 20_000;

export interface PastedList extends ParsedPaste {
  /** A newer text is being parsed; `values` are the last complete result. */
  parsing: boolean;
}

/**
 * The parsed form of a pasted list, parsed in a Web Worker when it is big
 * (SPEC: the UI never blocks on a big input). Replies to older texts are dropped.
 */
export function usePastedList(text: string): PastedList {
  const [state, setState] = useState<PastedList>(() => ({ ...parsePastedLines(text.length <= INLINE_CHARS ? text : ''), parsing: text.length > INLINE_CHARS }));
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    const id = ++latest.current;
    if (text.length <= INLINE_CHARS) {
      setState({ ...parsePastedLines(text), parsing: false });
      return;
    }
    if (!worker.current) {
      worker.current = new Worker(new URL('./paste-list.worker.ts', import.meta.url), { type: 'module' });
      worker.current.onmessage = (e: MessageEvent<ParsedPaste & { id: number }>) => {
        if (e.data.id !== latest.current) return;
        setState({ values: e.data.values, problem: e.data.problem, parsing: false });
      };
    }
    setState((s) => ({ ...s, parsing: true }));
    worker.current.postMessage({ id, text });
  }, [text]);

  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );
  return state;
}
