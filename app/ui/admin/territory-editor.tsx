import { Form } from '@remix-run/react';
import { RemarkField } from './remark-field';

type Place = { id: number; code: string; name: string };

/** The user's branches and areas, limited to those the admin may assign. */
export function TerritoryEditor(props: {
  branches: Place[];
  areas: Place[];
  assignedBranchIds: number[];
  assignedAreaIds: number[];
  error?: string | null;
  /** A territory change waits for another admin's approval (maker-checker, decision 101). */
  checked?: boolean;
  version?: number;
}) {
  return (
    <section className="card">
      <h2>Territory</h2>
      {props.error ? (
        <p className="banner error" role="alert">
          {props.error}
        </p>
      ) : null}
      <Form method="post" className="grid-2">
        <input type="hidden" name="intent" value="territory" />
        {props.version !== undefined ? <input type="hidden" name="version" value={props.version} /> : null}
        <div className="field">
          <label htmlFor="t-branches">Branches</label>
          <select id="t-branches" name="branchIds" multiple size={10} defaultValue={props.assignedBranchIds.map(String)}>
            {props.branches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.code} · {b.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="t-areas">Areas</label>
          <select id="t-areas" name="areaIds" multiple size={10} defaultValue={props.assignedAreaIds.map(String)}>
            {props.areas.map((a) => (
              <option key={a.id} value={a.id}>
                {a.code} · {a.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          {props.checked ? <RemarkField id="remark-territory" note="Territory changes wait for another admin’s approval." /> : null}
          <button type="submit">{props.checked ? 'Ask to change territory' : 'Save territory'}</button>
        </div>
      </Form>
    </section>
  );
}
