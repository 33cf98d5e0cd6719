/**
 * The typed contract between the core and its faces. Every method of the
 * core is listed here once; IPC, the HTTP bridge, the CLI and the renderer
 * derive their types from this object.
 */
import type { AnyMethods, ClientOf, HandlersOf } from './define.ts';
import { DossierError } from './errors.ts';
import { investigationMethods } from './investigations.ts';
import { entityMethods } from './entities.ts';
import { settingsMethods } from './settings.ts';
import { toolMethods } from './tools.ts';
import { batchMethods } from './batches.ts';
import { templateMethods } from './templates.ts';
import { relayMethods } from './relay.ts';
import { graphMethods } from './graph.ts';
import { webhookMethods } from './webhooks.ts';
import { searchMethods } from './search.ts';
import { watchMethods } from './watches.ts';
import { siteHealthMethods } from './site-health.ts';
import { verdictMethods } from './verdicts.ts';
import { reportMethods } from './reports.ts';
import { egressMethods } from './egress.ts';
import { analyticsMethods } from './analytics.ts';
import { syncMethods } from './sync.ts';

export const contract = {
  ...investigationMethods,
  ...entityMethods,
  ...settingsMethods,
  ...toolMethods,
  ...batchMethods,
  ...templateMethods,
  ...relayMethods,
  ...graphMethods,
  ...webhookMethods,
  ...searchMethods,
  ...watchMethods,
  ...siteHealthMethods,
  ...verdictMethods,
  ...reportMethods,
  ...egressMethods,
  ...analyticsMethods,
  ...syncMethods,
} satisfies AnyMethods;

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type Handlers = HandlersOf<Contract>;
export type DossierClient = ClientOf<Contract>;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(v: unknown): v is MethodName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(contract, v);
}

/** The one answer to a name the contract does not have, on every face (IPC, HTTP bridge, CLI, the core host). */
export function unknownMethodError(name: unknown): DossierError {
  const shown = typeof name === 'string' ? `"${name.slice(0, 120)}"` : `of type ${typeof name}`;
  return new DossierError('not_found', `unknown method ${shown}`);
}

/** A method that runs work in the caller's own foreground (see `MethodSpec.local`). */
export function isLocalMethod(name: MethodName): boolean {
  return (contract[name] as { local?: boolean }).local === true;
}

export * from './errors.ts';
export * from './define.ts';
export * from './common.ts';
export * from './investigations.ts';
export * from './entities.ts';
export * from './settings.ts';
export * from './tools.ts';
export * from './batches.ts';
export * from './templates.ts';
export * from './relay.ts';
export * from './graph.ts';
export * from './events.ts';
export * from './event-types.ts';
export * from './webhooks.ts';
export * from './sync.ts';
export * from './filters.ts';
export * from './filter-fields.ts';
export * from './search.ts';
export * from './watches.ts';
export * from './site-health.ts';
export * from './verdicts.ts';
export * from './reports.ts';
export * from './entity-colors.ts';
export * from './egress.ts';
export * from './analytics.ts';
