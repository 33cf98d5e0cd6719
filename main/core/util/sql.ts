/** `text` with the LIKE wildcards %, _ and the escape character \ taken literally (use with `escape '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => '\\' + m);
}

/** A LIKE pattern matching `text` anywhere, with %, _ and \ taken literally (use with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
