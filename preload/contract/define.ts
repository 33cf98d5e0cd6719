import type { z } from 'zod';

/**
 * A contract method: a zod schema for the input (validated at every boundary)
 * and a phantom output type (checked by the compiler on both sides).
 */
export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom: never read at runtime. */
  readonly output?: O;
  /** Long-running calls (tool runs, test deliveries) get a longer client timeout. */
  readonly slow?: boolean;
  /**
   * Runs work in the calling process's foreground until it ends (the CLI's `batch run`): only an
   * in-process caller may use it (`core.call`); the faces over IPC, HTTP and the core host refuse it.
   */
  readonly local?: boolean;
}

/** What a call carries besides its input: the caller's cancellation (Ctrl-C, a closed window). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** `method(schema).returns<Output>()` — the builder lets TS infer I while O is given. */
export function method<I extends z.ZodType>(input: I, opts: { slow?: boolean; local?: boolean } = {}) {
  return {
    returns<O>(): MethodSpec<I, O> {
      return { input, ...opts };
    },
  };
}

export type AnyMethods = Record<string, MethodSpec<z.ZodType, unknown>>;

export type InputOf<M> = M extends MethodSpec<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<M> = M extends MethodSpec<infer I, unknown> ? z.output<I> : never;
export type OutputOf<M> = M extends MethodSpec<z.ZodType, infer O> ? O : never;

/** The server side of a group of methods: what the core implements. */
export type HandlersOf<C extends AnyMethods> = {
  [K in keyof C]: (input: ParsedInputOf<C[K]>, opts: CallOptions) => Promise<OutputOf<C[K]>>;
};

/** The client side: what the renderer and the CLI call. */
export type ClientOf<C extends AnyMethods> = <K extends keyof C & string>(
  method: K,
  input: InputOf<C[K]>,
) => Promise<OutputOf<C[K]>>;
