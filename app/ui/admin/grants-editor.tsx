import { Form } from '@remix-run/react';
import { REMARK_LIMITS } from '../../core/approvals/checked-actions';

type Option = { code: string; name: string };
type Company = { id: number; code: string; name: string };
type Grant = { companyId: number; code: string; scope: string };
type Template = { code: string; name: string; companyId: number | null };

/** Per company: apply a role template, or set each permission's scope by hand. */
export function GrantsEditor(props: {
  companies: Company[];
  permissions: Option[];
  templates: Template[];
  grants: Grant[];
  roles: Array<{ companyId: number; name: string }>;
  /** Companies where a change waits for another admin's approval (maker-checker, decision 101). */
  checked?: number[];
  /** The user's access version the forms carry (a change asked on an outdated page is refused). */
  version?: number;
  error?: string | null;
}) {
  return (
    <section className="card">
      <h2>Permissions</h2>
      {props.error ? (
        <p className="banner error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.companies.length === 0 ? <p className="muted">You cannot change permissions in any company.</p> : null}
      <div className="grid-2">
        {props.companies.map((company) => {
          const grantOf = (code: string) => props.grants.find((g) => g.companyId === company.id && g.code === code)?.scope ?? '';
          const role = props.roles.find((r) => r.companyId === company.id)?.name;
          const checked = Boolean(props.checked?.includes(company.id));
          const remark = (form: string) =>
            checked ? (
              <p>
                <label htmlFor={`remark-${form}-${company.id}`}>Why (the approving admin reads this)</label>
                <textarea id={`remark-${form}-${company.id}`} name="remark" required minLength={REMARK_LIMITS.min} maxLength={REMARK_LIMITS.max} rows={2} />
              </p>
            ) : null;
          return (
            <div key={company.id} data-testid={`grants-${company.code}`}>
              <h3>
                {company.name}
                {role ? <span className="muted"> · {role}</span> : null}
              </h3>
              {checked ? (
                <p className="muted" data-testid={`grants-checked-${company.code}`}>
                  Changes here wait for another admin’s approval.
                </p>
              ) : null}
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="apply-role" />
                <input type="hidden" name="companyId" value={company.id} />
                {props.version !== undefined ? <input type="hidden" name="version" value={props.version} /> : null}
                <label className="sr-only" htmlFor={`tpl-${company.id}`}>
                  Role template for {company.name}
                </label>
                <select id={`tpl-${company.id}`} name="roleTemplate" required defaultValue="">
                  <option value="" disabled>
                    Role template…
                  </option>
                  {props.templates
                    .filter((t) => t.companyId === null || t.companyId === company.id)
                    .map((t) => (
                      <option key={t.code} value={t.code}>
                        {t.name}
                      </option>
                    ))}
                </select>
                {remark('role')}
                <button type="submit">{checked ? 'Ask to apply role' : 'Apply role'}</button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="grants" />
                <input type="hidden" name="companyId" value={company.id} />
                {props.version !== undefined ? <input type="hidden" name="version" value={props.version} /> : null}
                <table>
                  <tbody>
                    {props.permissions.map((p) => (
                      <tr key={p.code}>
                        <td>
                          <label htmlFor={`g-${company.id}-${p.code}`}>{p.code}</label>
                        </td>
                        <td>
                          <select id={`g-${company.id}-${p.code}`} name={`grant:${p.code}`} defaultValue={grantOf(p.code)}>
                            <option value="">none</option>
                            <option value="self">self</option>
                            <option value="branch">branch</option>
                            <option value="area">area</option>
                            <option value="all">all</option>
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {remark('grants')}
                <button type="submit">{checked ? `Ask to change ${company.code} permissions` : `Save ${company.code} permissions`}</button>
              </Form>
            </div>
          );
        })}
      </div>
    </section>
  );
}
