import { Group, NumberInput, Switch } from '@mantine/core';
import { DEFAULT_RETRY_DELAYS_MS, type BatchOptionsInput } from '../../../../preload/contract/batches.ts';

/** The options a user sets on a new batch; converted to the contract's shape by `toBatchOptions`. */
export interface BatchOptionsForm {
  maxParallel: number;
  stopOnError: boolean;
  retries: number;
  priority: number;
  followUpDepth: number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptionsForm = {
  maxParallel: 10,
  stopOnError: false,
  retries: DEFAULT_RETRY_DELAYS_MS.length,
  priority: 0,
  followUpDepth: 0,
};

export function toBatchOptions(f: BatchOptionsForm): BatchOptionsInput {
  // Attempts count the first try; the core's default backoff schedule applies.
  return { maxParallel: f.maxParallel, stopOnError: f.stopOnError, retry: { attempts: f.retries + 1 }, priority: f.priority, followUpDepth: f.followUpDepth };
}

export function BatchOptionsFields(props: {
  value: BatchOptionsForm;
  onChange(v: BatchOptionsForm): void;
  /** Follow-ups only mean something for template batches. */
  showFollowUps?: boolean;
  errors?: Record<string, string>;
}) {
  const { value: v, onChange } = props;
  const num = (key: keyof BatchOptionsForm, min: number, max: number) => (x: string | number) => {
    const n = typeof x === 'number' ? x : parseInt(x, 10);
    if (Number.isFinite(n)) onChange({ ...v, [key]: Math.max(min, Math.min(max, Math.round(n))) });
  };
  return (
    <>
      <Group grow align="flex-start">
        <NumberInput
          label="Max parallel"
          description="Operations at once (1–50)"
          min={1}
          max={50}
          value={v.maxParallel}
          onChange={num('maxParallel', 1, 50)}
          error={props.errors?.options}
        />
        <NumberInput
          label="Retries"
          description="For transient failures"
          min={0}
          max={19}
          value={v.retries}
          onChange={num('retries', 0, 19)}
        />
        <NumberInput
          label="Priority"
          description="Higher runs first"
          min={-100}
          max={100}
          value={v.priority}
          onChange={num('priority', -100, 100)}
        />
        {props.showFollowUps && (
          <NumberInput
            label="Follow-up depth"
            description="Generations of follow-ups"
            min={0}
            max={10}
            value={v.followUpDepth}
            onChange={num('followUpDepth', 0, 10)}
          />
        )}
      </Group>
      <Switch
        label="Stop on error"
        description="Cancel the rest of the batch at the first permanent failure"
        checked={v.stopOnError}
        onChange={(e) => onChange({ ...v, stopOnError: e.currentTarget.checked })}
      />
    </>
  );
}
