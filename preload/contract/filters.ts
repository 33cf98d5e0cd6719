import { z } from 'zod';

/**
 * The one filter language of every list (SPEC §3.6): `{"and"|"or": [condition | group, ...]}`
 * nested at most FILTER_MAX_DEPTH deep, a condition being `{field, op, value}`.
 * This file holds only the shape; which fields a list has, and which operators fit a field,
 * is in filter-fields.ts (the whitelists), checked by `filterIssues`.
 */

export const FIELD_TYPES = ['text', 'number', 'date', 'select'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const OPERATORS_BY_TYPE = {
  text: ['equals', 'contains', 'starts_with', 'ends_with'],
  number: ['eq', 'gt', 'lt', 'gte', 'lte'],
  date: ['on', 'after', 'before', 'between'],
  select: ['is', 'is_any_of'],
} as const satisfies Record<FieldType, readonly string[]>;

export type FilterOperator = (typeof OPERATORS_BY_TYPE)[FieldType][number];
export const FILTER_OPERATORS = Object.values(OPERATORS_BY_TYPE).flat() as FilterOperator[];

/** Groups nest at most this deep (the top-level group is depth 1). */
export const FILTER_MAX_DEPTH = 3;
/** Conditions in one filter, all groups together. */
export const FILTER_MAX_CONDITIONS = 50;
/** Saved filters carry this; a future change of the language bumps it and migrates old ones. */
export const FILTER_SCHEMA_VERSION = 1;

/** A date value: an ISO date (`2026-12-01`, a whole UTC day), an ISO timestamp, or epoch ms. */
export const FilterDate = z.union([
  z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not an ISO date or timestamp' }),
  z.number().int().min(0).max(8.64e15),
]);
export type FilterDate = z.infer<typeof FilterDate>;

export const FilterValue = z.union([
  z.string().max(1000),
  z.number().finite(),
  z.array(z.union([z.string().max(1000), z.number().finite()])).min(1).max(100),
]);
export type FilterValue = z.infer<typeof FilterValue>;

export const FilterCondition = z
  .object({
    field: z.string().min(1).max(64),
    op: z.enum(FILTER_OPERATORS as [FilterOperator, ...FilterOperator[]]),
    value: FilterValue,
  })
  .strict();
export type FilterCondition = z.infer<typeof FilterCondition>;

export type FilterGroup = { and: FilterNode[]; or?: never } | { or: FilterNode[]; and?: never };
export type FilterNode = FilterCondition | FilterGroup;
export type Filter = FilterGroup;

const Children = z.array(z.lazy((): z.ZodType<FilterNode> => FilterNodeSchema)).min(1, 'a group needs at least one condition').max(FILTER_MAX_CONDITIONS);
const GroupSchema: z.ZodType<FilterGroup> = z.union([z.object({ and: Children }).strict(), z.object({ or: Children }).strict()]) as z.ZodType<FilterGroup>;
const FilterNodeSchema: z.ZodType<FilterNode> = z.union([FilterCondition, GroupSchema]);

export function isGroup(n: FilterNode): n is FilterGroup {
  return 'and' in n || 'or' in n;
}
export function groupChildren(g: FilterGroup): FilterNode[] {
  return 'and' in g && g.and ? g.and : (g.or ?? []);
}

/** The shape of a filter (depth and size checked; fields and operators are checked against a list by `filterIssues`). */
export const Filter = GroupSchema.superRefine((f, ctx) => {
  let conditions = 0;
  const walk = (g: FilterGroup, depth: number, path: (string | number)[]) => {
    if (depth > FILTER_MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `groups nest at most ${FILTER_MAX_DEPTH} deep`, path });
      return;
    }
    const key = 'and' in g && g.and ? 'and' : 'or';
    groupChildren(g).forEach((c, i) => {
      if (isGroup(c)) walk(c, depth + 1, [...path, key, i]);
      else conditions++;
    });
  };
  walk(f, 1, []);
  if (conditions > FILTER_MAX_CONDITIONS) ctx.addIssue({ code: 'custom', message: `at most ${FILTER_MAX_CONDITIONS} conditions in one filter` });
});
