import { expect, type ServedApp } from './serve.ts';

/** A call to the served core over the HTTP bridge, as another window of the app would make it; a refusal fails the test. */
export async function callApi(app: ServedApp, method: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${new URL(app.url).origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: unknown; error?: unknown };
  expect(res.status, JSON.stringify(body.error)).toBe(200);
  return body.result;
}
