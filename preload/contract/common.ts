import { z } from 'zod';

export const Id = z.string().min(1).max(80);
export const Page = z.object({
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().min(0).default(0),
});
export type Page = z.infer<typeof Page>;

export interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export const Empty = z.object({}).strict().default({});
