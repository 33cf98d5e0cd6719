import { BATCH_LIST_MAX, BATCH_VALUE_MAX } from '../../../../preload/contract/batches.ts';

/** Why a pasted list cannot be sent as it is: the first bad line, by number, with the start of it. */
export interface PasteProblem {
  line: number;
  excerpt: string;
  reason: string;
}

export interface ParsedPaste {
  values: string[];
  problem: PasteProblem | null;
}

const EXCERPT = 40;

/**
 * Split a pasted list into batch inputs: one value per line (commas and tabs
 * too, as pasted from a spreadsheet), trimmed; blanks and repeats dropped,
 * first occurrence order kept. The contract's limits are checked here so the
 * dialog can name the line instead of the core refusing value #n.
 */
export function parsePastedLines(text: string): ParsedPaste {
  const seen = new Set<string>();
  const lines = text.split(/\r\n|\r|\n/);
  let problem: PasteProblem | null = null;
  for (let i = 0; i < lines.length; i++) {
    for (const cell of lines[i]!.split(/[,\t]/)) {
      const v = cell.trim();
      if (!v || seen.has(v)) continue;
      if (!problem && v.length > BATCH_VALUE_MAX) {
        problem = {
          line: i + 1,
          excerpt: excerpt(v),
          reason: `is longer than ${BATCH_VALUE_MAX.toLocaleString('en-US')} characters (${v.length.toLocaleString('en-US')})`,
        };
      }
      seen.add(v);
      if (!problem && seen.size > BATCH_LIST_MAX) {
        problem = {
          line: i + 1,
          excerpt: excerpt(v),
          reason: `is value ${seen.size.toLocaleString('en-US')}: a pasted list takes at most ${BATCH_LIST_MAX.toLocaleString('en-US')} (use a file for more)`,
        };
      }
    }
  }
  return { values: [...seen], problem };
}

/** One sentence for the dialog: `Line 1,204: “abc…” is longer than …`. */
export function describeProblem(p: PasteProblem): string {
  return `Line ${p.line.toLocaleString('en-US')}: “${p.excerpt}” ${p.reason}.`;
}

function excerpt(v: string): string {
  return v.length > EXCERPT ? `${v.slice(0, EXCERPT)}…` : v;
}
