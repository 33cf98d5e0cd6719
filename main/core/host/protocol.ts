import { z } from 'zod';
import { ERROR_CODES, type SerializedError } from '../../../preload/contract/errors.ts';

/**
 * The one message protocol between a face's process (Electron's main process, a test) and the core
 * host process (`runCoreHost`). Both ends validate what they receive with these schemas: the other
 * end is another process, so its messages are input like any other.
 *
 *   face → host: init (once), call, cancel, reply (to a host request), shutdown
 *   host → face: ready | fatal (answer to init), result | error (answer to a call), event,
 *                request (the host asks the face for something only it can do: print a PDF)
 *
 * A call id is chosen by the face and names the call in its answer and in `cancel`.
 */

const Id = z.number().int().nonnegative();
const Failure = z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.unknown().optional() }) satisfies z.ZodType<SerializedError>;

export const HostInit = z.object({
  t: z.literal('init'),
  dataDir: z.string().min(1),
  mode: z.enum(['electron', 'browser', 'cli', 'test']),
  /** Base64 of the 32-byte key that seals secrets at rest; the desktop unwraps it with the OS keychain. Absent: the key file. */
  secretKey: z.string().optional(),
  /** The secret box's name as stored beside sealed credentials (`safestorage` for the keychain-wrapped key). */
  secretKind: z.string().min(1).optional(),
  /** The face prints PDFs (Electron's printToPDF): the host asks it through a `pdf` request. */
  facePdf: z.boolean().default(false),
  /** Start the background workers (executor, relay, webhooks, watches) once the core is open. */
  workers: z.boolean().default(true),
});
export type HostInit = z.input<typeof HostInit>;
export type HostInitMessage = z.output<typeof HostInit>;

export const ToHost = z.discriminatedUnion('t', [
  HostInit,
  z.object({ t: z.literal('call'), id: Id, method: z.unknown(), input: z.unknown() }),
  z.object({ t: z.literal('cancel'), id: Id }),
  z.object({ t: z.literal('reply'), id: Id, error: Failure.optional() }),
  z.object({ t: z.literal('shutdown') }),
]);
export type ToHost = z.input<typeof ToHost>;

export const PdfRequest = z.object({ htmlPath: z.string().min(1), pdfPath: z.string().min(1) });

export const FromHost = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), version: z.string() }),
  z.object({ t: z.literal('fatal'), error: Failure }),
  z.object({ t: z.literal('result'), id: Id, result: z.unknown() }),
  z.object({ t: z.literal('error'), id: Id, error: Failure }),
  z.object({ t: z.literal('event'), name: z.string().min(1), payload: z.unknown() }),
  z.object({ t: z.literal('request'), id: Id, service: z.literal('pdf'), input: PdfRequest }),
]);
export type FromHost = z.input<typeof FromHost>;

/**
 * One end of the channel. The host's end is Electron's `process.parentPort` in a utility process
 * (main/electron/core-host.ts) or Node's child-process IPC (`processPort`); the face's end is the
 * utility process or the forked child (see `HostChild`).
 */
export interface HostPort {
  send(message: unknown): void;
  /** Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}
