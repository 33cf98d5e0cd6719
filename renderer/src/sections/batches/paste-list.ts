/**
 * Split a pasted list into batch inputs: one value per line (commas and tabs
 * too, as pasted from a spreadsheet), trimmed; blanks and repeats dropped,
 * first occurrence order kept.
 */
export function parsePastedList(text: string): string[] {
  return [...new Set(text.split(/[\r\n,\t]+/).map((s) => s.trim()).filter(Boolean))];
}
