import { z } from 'zod';
import { method } from './define.ts';
import { Id, Page, type Paged } from './common.ts';
import { Filter } from './filters.ts';

export const INVESTIGATION_STATUSES = ['active', 'archived'] as const;
export type InvestigationStatus = (typeof INVESTIGATION_STATUSES)[number];

export interface Investigation {
  id: string;
  name: string;
  description: string;
  status: InvestigationStatus;
  tags: string[];
  entityCount: number;
  createdAt: string;
  updatedAt: string;
}

const Name = z.string().trim().min(1, 'name is required').max(200);
const Description = z.string().max(10_000);
const Tags = z.array(z.string().trim().min(1).max(64)).max(50);

export const CreateInvestigation = z.object({
  name: Name,
  description: Description.optional(),
  tags: Tags.optional(),
});
export const ListInvestigations = Page.extend({
  search: z.string().max(200).optional(),
  status: z.enum(INVESTIGATION_STATUSES).optional(),
  /** SPEC §3.6 filter over FILTER_FIELDS.investigations. */
  filter: Filter.optional(),
});
export const UpdateInvestigation = z
  .object({
    id: Id,
    name: Name.optional(),
    description: Description.optional(),
    tags: Tags.optional(),
    status: z.enum(INVESTIGATION_STATUSES).optional(),
  })
  .refine((v) => Object.keys(v).length > 1, { message: 'nothing to update' });

export const investigationMethods = {
  'investigations.create': method(CreateInvestigation).returns<Investigation>(),
  'investigations.get': method(z.object({ id: Id })).returns<Investigation>(),
  'investigations.list': method(ListInvestigations).returns<Paged<Investigation>>(),
  'investigations.update': method(UpdateInvestigation).returns<Investigation>(),
  'investigations.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
};
