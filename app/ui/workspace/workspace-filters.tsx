import { Form } from '@remix-run/react';
import { FilterSelect } from '../filter-select';
import { inputHints } from '../../core/config/form-fields';
import { searchField } from '../../core/forms/search-fields';

type Opt = { id: number; code?: string; name: string };

/** Period picker and filters as one GET form: bookmarkable, works without JavaScript. */
export function WorkspaceFilters({
  options,
  params,
}: {
  options: {
    statuses: Opt[];
    reasons: Array<Opt & { statusTypeId: number }>;
    branches: Opt[];
    parStatuses: Opt[];
    pensionTypes: Opt[];
    periods: Array<{ key: string; label: string }>;
  };
  params: Record<string, string>;
}) {
  const yesNo = [
    { id: 1, name: 'Yes' },
    { id: 0, name: 'No' },
  ];
  return (
    <Form method="get" className="card filters" role="search">
      {params.segment ? <input type="hidden" name="segment" value={params.segment} /> : null}
      <div>
        <label htmlFor="w-period">Period</label>
        <select id="w-period" name="period" defaultValue={params.period ?? ''}>
          <option value="">Current</option>
          {options.periods.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="span-2">
        <label htmlFor="w-q">Search code, name or pension no.</label>
        <input id="w-q" type="search" name="q" defaultValue={params.q ?? ''} {...inputHints(searchField)} />
      </div>
      <FilterSelect idPrefix="w" name="status" label="Status" options={options.statuses} value={params.status} />
      <div>
        <label htmlFor="w-reason">Reason</label>
        <select id="w-reason" name="reason" defaultValue={params.reason ?? ''}>
          <option value="">All</option>
          {options.statuses.map((s) => {
            const list = options.reasons.filter((r) => r.statusTypeId === s.id);
            // The same reason name exists under two statuses: say which, in the group and the text.
            return list.length ? (
              <optgroup key={s.id} label={s.name}>
                {list.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({s.name})
                  </option>
                ))}
              </optgroup>
            ) : null;
          })}
        </select>
      </div>
      <FilterSelect idPrefix="w" name="branch" label="Branch" options={options.branches} value={params.branch} />
      <FilterSelect idPrefix="w" name="par" label="PAR status" options={options.parStatuses} value={params.par} />
      <FilterSelect idPrefix="w" name="pensionType" label="Pension type" options={options.pensionTypes} value={params.pensionType} />
      {(['payment', 'terminal'] as const).map((name) => (
        <div key={name}>
          <label htmlFor={`w-${name}`}>{name === 'payment' ? 'Has payment' : 'Terminal'}</label>
          <select id={`w-${name}`} name={name} defaultValue={params[name] ?? ''}>
            <option value="">Any</option>
            {yesNo.map((o) => (
              <option key={o.id} value={o.id ? 'yes' : 'no'}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div>
        <label htmlFor="w-sort">Sort</label>
        <select id="w-sort" name="sort" defaultValue={params.sort ?? 'name'}>
          <option value="name">Name</option>
          <option value="code">Code</option>
          <option value="branch">Branch</option>
          <option value="status">Status</option>
          <option value="updated">Last update</option>
        </select>
      </div>
      <div>
        <button type="submit">Show</button>
      </div>
    </Form>
  );
}
