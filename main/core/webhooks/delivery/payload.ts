/**
 * The delivery body: `{"id","event","timestamp","data","webhook_id"}`. Built by
 * concatenation around the outbox's stored JSON so the data is not parsed and
 * re-serialised for every subscriber; the result is stored and sent byte-exact.
 */
export function deliveryBody(ev: { id: string; type: string; createdAt: number; dataJson: string }, webhookId: string): string {
  return (
    `{"id":${JSON.stringify(ev.id)},"event":${JSON.stringify(ev.type)},"timestamp":${JSON.stringify(new Date(ev.createdAt).toISOString())}` +
    `,"data":${ev.dataJson},"webhook_id":${JSON.stringify(webhookId)}}`
  );
}
