import { Form, useNavigation } from '@remix-run/react';
import { inputHints } from '../../core/config/form-fields';
import { branchCodesField } from '../../core/jobs/sync-form-fields';

export interface SyncFormValues {
  mode: string;
  dryRun: boolean;
  branchCodes: string;
}

/** The trigger form: mode, dry run, optional branch codes. Works without JavaScript; errors next to each field. */
export function SyncForm({ values, errors, disabled }: { values: SyncFormValues; errors: Record<string, string>; disabled: string | null }) {
  const busy = useNavigation().state === 'submitting';
  const errorOf = (name: string) =>
    errors[name] ? (
      <p id={`sync-${name}-error`} className="error">
        {errors[name]}
      </p>
    ) : null;
  return (
    <Form method="post" className="card form" data-testid="sync-form">
      <h2>Start a sync</h2>
      {errors.form ? (
        <p className="banner error" role="alert" data-testid="sync-form-error">
          {errors.form}
        </p>
      ) : null}
      {disabled ? (
        <p className="muted" data-testid="sync-form-disabled">
          {disabled}
        </p>
      ) : null}
      <fieldset>
        <legend>Mode</legend>
        <label>
          <input type="radio" name="mode" value="incremental" defaultChecked={values.mode !== 'full'} /> Incremental (rows changed since the last sync)
        </label>
        <label>
          <input type="radio" name="mode" value="full" defaultChecked={values.mode === 'full'} /> Full (every row; clients missing from a complete full sync
          become inactive)
        </label>
        {errorOf('mode')}
      </fieldset>
      <div className="field">
        <label>
          <input type="checkbox" name="dryRun" value="on" defaultChecked={values.dryRun} /> Dry run: preview what would change, write nothing
        </label>
        {errorOf('dryRun')}
      </div>
      <div className="field">
        <label htmlFor="sync-branchCodes">Only these branches (codes, comma separated; empty = all)</label>
        <input
          id="sync-branchCodes"
          name="branchCodes"
          type="text"
          defaultValue={values.branchCodes}
          {...inputHints(branchCodesField)}
          placeholder="e.g. MNLA01, QZN01"
          aria-invalid={errors.branchCodes ? true : undefined}
          aria-describedby={errors.branchCodes ? 'sync-branchCodes-error' : undefined}
        />
        <p className="muted">A sync limited to branches never marks clients inactive.</p>
        {errorOf('branchCodes')}
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Starting…' : 'Start sync'}
      </button>
    </Form>
  );
}
