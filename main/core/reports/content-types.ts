/** Content types of the files exports write, by extension. */
export const EXPORT_CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  graphml: 'application/graphml+xml',
  gexf: 'application/gexf+xml',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};
