// The registry of every admin-editable lookup/config table (domain.md "Data the app keeps").
// One small entry per table: the generic list, edit form, writes, audit and cache invalidation
// (config-rows.ts, config-writes.ts) do the rest. Field names are the Drizzle property names.
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  accountTypes,
  configCategories,
  configOptions,
  configSettings,
  parStatuses,
  pensionTypes,
  pensionerTypes,
  products,
  statusReasons,
  statusTypes,
  teleStatuses,
  updateStatuses,
} from '../../../db/schema';
import type { FieldOption, FieldSpec } from './form-fields';

/** How a row belongs to a company: not at all, a required or nullable company_id, or through its status type. */
export type CompanyKind = 'none' | 'required' | 'optional' | 'statusType';
export type FilterName = 'active' | 'company' | 'statusType' | 'category' | 'valueType';

export interface ColumnSpec {
  key: string;
  label: string;
  kind?: 'text' | 'code' | 'boolean' | 'number' | 'date';
  link?: boolean;
}

/** Select options filled per request (only what the admin may choose, or may see when read-only). */
export interface Choices {
  companies: FieldOption[];
  /** "All companies" may be chosen (the admin manages shared rows). */
  shared: boolean;
  pensionTypes: FieldOption[];
  statusTypes: FieldOption[];
  categories: FieldOption[];
  parentOptions: FieldOption[];
  updateStatuses: FieldOption[];
}

export interface ConfigTable {
  slug: string;
  sqlName: string;
  label: string;
  /** One row, for messages and the toast ("Status reason created."). */
  noun: string;
  group: string;
  description: string;
  table: SQLiteTable;
  /** The identifying column: unique (with uniqueWith), shown as a code. */
  keyField: 'code' | 'key';
  nameField: 'name' | 'label' | 'key';
  company: CompanyKind;
  /** "Delete" sets is_active = 0 (restorable); without it a delete removes the row. */
  softDelete: boolean;
  /** is_system rows cannot be deleted and keep their code. */
  system: boolean;
  /** sort_order + move up/down within rows sharing orderGroup. */
  ordered: boolean;
  orderGroup: string[];
  uniqueWith: string[];
  searchIn: string[];
  filters: FilterName[];
  sorts: Array<{ value: string; label: string }>;
  columns: ColumnSpec[];
  fields: (c: Choices) => FieldSpec[];
  /** A row's createdBy/updatedBy column for the acting user, if the table has one. */
  authorField?: 'createdBy' | 'updatedBy';
}

const name = (max = 80): FieldSpec => ({ name: 'name', label: 'Name', kind: 'text', maxLength: max });
const code: FieldSpec = { name: 'code', label: 'Code', kind: 'code', maxLength: 40, help: 'Letters, digits and _; unique.' };
const sortOrder: FieldSpec = { name: 'sortOrder', label: 'Order', kind: 'number', required: false, min: 0, max: 1_000_000, help: 'Empty: after the last row.' };
const flag = (n: string, label: string): FieldSpec => ({ name: n, label, kind: 'boolean' });
const companyField = (c: Choices, kind: CompanyKind): FieldSpec => ({
  name: 'companyId',
  label: 'Company',
  kind: 'select',
  ids: true,
  options: c.companies,
  createOnly: true,
  required: kind === 'required' || !c.shared,
  emptyLabel: 'All companies',
  help: kind === 'optional' ? 'Empty: every company. Fixed after creation.' : 'Fixed after creation.',
});

const lookupColumns: ColumnSpec[] = [
  { key: 'code', label: 'Code', kind: 'code', link: true },
  { key: 'name', label: 'Name' },
];
const tail: ColumnSpec[] = [
  { key: 'sortOrder', label: 'Order', kind: 'number' },
  { key: 'isActive', label: 'Active', kind: 'boolean' },
  { key: 'isSystem', label: 'System', kind: 'boolean' },
];
const lookupSorts = [
  { value: 'order', label: 'Order' },
  { value: 'code', label: 'Code' },
  { value: 'name', label: 'Name' },
];

/** The common shape of a lookup table (code, name, is_system, is_active, sort_order, created_by). */
function lookup(entry: Pick<ConfigTable, 'slug' | 'sqlName' | 'label' | 'noun' | 'group' | 'description' | 'table'> & Partial<ConfigTable>): ConfigTable {
  return {
    keyField: 'code',
    nameField: 'name',
    company: 'none',
    softDelete: true,
    system: true,
    ordered: true,
    orderGroup: [],
    uniqueWith: [],
    searchIn: ['code', 'name'],
    filters: ['active'],
    sorts: lookupSorts,
    columns: [...lookupColumns, ...tail],
    fields: () => [code, name(), sortOrder],
    authorField: 'createdBy',
    ...entry,
  };
}

/** Why (maker-checker, decision 101): asked where the row's company checks status types and reasons. */
const lookupRemark: FieldSpec = {
  name: 'remark',
  label: 'Why (when this change waits for approval)',
  kind: 'textarea',
  required: false,
  maxLength: 500,
  help: 'Where the company checks status types and reasons (checker_status_lookups), a change waits for another admin.',
};

export const CONFIG_TABLES: readonly ConfigTable[] = [
  lookup({
    slug: 'pension-types',
    sqlName: 'pension_types',
    label: 'Pension types',
    noun: 'Pension type',
    group: 'Clients',
    table: pensionTypes,
    description: 'SSS, GSIS, PVAO (FCASH); Non-PNP, PNP (PCNI).',
    company: 'required',
    orderGroup: ['companyId'],
    filters: ['active', 'company'],
    columns: [...lookupColumns, { key: 'company', label: 'Company' }, ...tail],
    fields: (c) => [code, name(), companyField(c, 'required'), sortOrder],
  }),
  lookup({
    slug: 'pensioner-types',
    sqlName: 'pensioner_types',
    label: 'Pensioner types',
    noun: 'Pensioner type',
    group: 'Clients',
    table: pensionerTypes,
    description: 'Dependent, disability, retiree, ITF.',
  }),
  lookup({
    slug: 'products',
    sqlName: 'products',
    label: 'Products',
    noun: 'Product',
    group: 'Clients',
    table: products,
    description: "A product fixes a client's company and tracking cycle.",
    company: 'required',
    orderGroup: ['companyId'],
    filters: ['active', 'company'],
    columns: [
      ...lookupColumns,
      { key: 'company', label: 'Company' },
      { key: 'pensionType', label: 'Pension type' },
      { key: 'trackingCycle', label: 'Cycle' },
      ...tail,
    ],
    fields: (c) => [
      code,
      name(),
      companyField(c, 'required'),
      {
        name: 'pensionTypeId',
        label: 'Pension type',
        kind: 'select',
        ids: true,
        required: false,
        options: c.pensionTypes,
        help: 'A pension type of the same company.',
      },
      {
        name: 'trackingCycle',
        label: 'Tracking cycle',
        kind: 'select',
        options: [
          { value: 'monthly', label: 'Monthly' },
          { value: 'quarterly', label: 'Quarterly' },
        ],
      },
      sortOrder,
    ],
  }),
  lookup({
    slug: 'account-types',
    sqlName: 'account_types',
    label: 'Account types',
    noun: 'Account type',
    group: 'Clients',
    table: accountTypes,
    description: 'Passbook, ATM, both, none.',
  }),
  lookup({
    slug: 'par-statuses',
    sqlName: 'par_statuses',
    label: 'PAR statuses',
    noun: 'PAR status',
    group: 'Clients',
    table: parStatuses,
    description: 'Portfolio-at-risk buckets; only trackable buckets get period rows.',
    columns: [...lookupColumns, { key: 'isTrackable', label: 'Trackable', kind: 'boolean' }, ...tail],
    fields: () => [code, name(), flag('isTrackable', 'Trackable (clients get period rows)'), sortOrder],
  }),
  lookup({
    slug: 'status-types',
    sqlName: 'status_types',
    label: 'Status types',
    noun: 'Status type',
    group: 'Status workflow',
    table: statusTypes,
    description: "Workflow steps in sequence; a company's steps are the shared ones plus its own.",
    company: 'optional',
    orderGroup: ['companyId'],
    filters: ['active', 'company'],
    sorts: [{ value: 'sequence', label: 'Sequence' }, ...lookupSorts],
    columns: [...lookupColumns, { key: 'sequence', label: 'Sequence', kind: 'number' }, { key: 'company', label: 'Company' }, ...tail],
    fields: (c) => [
      code,
      name(),
      { name: 'sequence', label: 'Sequence', kind: 'number', min: 1, max: 99, help: 'Position in the workflow; unique among the steps one company sees.' },
      companyField(c, 'optional'),
      sortOrder,
      lookupRemark,
    ],
  }),
  lookup({
    slug: 'status-reasons',
    sqlName: 'status_reasons',
    label: 'Status reasons',
    noun: 'Status reason',
    group: 'Status workflow',
    table: statusReasons,
    description: 'Reasons of each status; terminal reasons end tracking, some require remarks.',
    company: 'statusType',
    orderGroup: ['statusTypeId'],
    uniqueWith: ['statusTypeId'],
    filters: ['active', 'statusType'],
    columns: [
      ...lookupColumns,
      { key: 'statusType', label: 'Status' },
      { key: 'isTerminal', label: 'Terminal', kind: 'boolean' },
      { key: 'requiresRemarks', label: 'Remarks required', kind: 'boolean' },
      ...tail,
    ],
    fields: (c) => [
      code,
      name(),
      { name: 'statusTypeId', label: 'Status', kind: 'select', ids: true, options: c.statusTypes, createOnly: true, help: 'Fixed after creation.' },
      flag('isTerminal', 'Terminal (the client leaves later periods)'),
      flag('requiresRemarks', 'Requires remarks'),
      sortOrder,
      lookupRemark,
    ],
  }),
  lookup({
    slug: 'tele-statuses',
    sqlName: 'tele_statuses',
    label: 'Tele statuses',
    noun: 'Tele status',
    group: 'Tele workflow (FCASH)',
    table: teleStatuses,
    description: 'Tele statuses, what each requires and which update statuses it allows.',
    columns: [
      ...lookupColumns,
      { key: 'requiresReason', label: 'Reason required', kind: 'boolean' },
      { key: 'requiresRemarks', label: 'Remarks required', kind: 'boolean' },
      { key: 'updateStatuses', label: 'Update statuses allowed' },
      ...tail,
    ],
    fields: (c) => [
      code,
      name(),
      flag('requiresReason', 'Requires a reason'),
      flag('requiresRemarks', 'Requires remarks'),
      { name: 'updateStatusIds', label: 'Update statuses allowed', kind: 'multiselect', ids: true, options: c.updateStatuses },
      sortOrder,
    ],
  }),
  lookup({
    slug: 'update-statuses',
    sqlName: 'update_statuses',
    label: 'Update statuses',
    noun: 'Update status',
    group: 'Tele workflow (FCASH)',
    table: updateStatuses,
    description: 'Outcomes of a tele update.',
  }),
  lookup({
    slug: 'config-categories',
    sqlName: 'config_categories',
    label: 'Option categories',
    noun: 'Category',
    group: 'Options and settings',
    table: configCategories,
    description: 'Lists of options (tele reasons, loan statuses, …).',
    authorField: undefined,
    columns: [...lookupColumns, { key: 'description', label: 'Description' }, ...tail],
    fields: () => [code, name(), { name: 'description', label: 'Description', kind: 'textarea', required: false, maxLength: 500 }, sortOrder],
  }),
  lookup({
    slug: 'config-options',
    sqlName: 'config_options',
    label: 'Options',
    noun: 'Option',
    group: 'Options and settings',
    table: configOptions,
    description: 'Options of each category, with sub-options, per-company options and a default.',
    nameField: 'label',
    company: 'optional',
    system: false,
    orderGroup: ['categoryId', 'parentOptionId'],
    uniqueWith: ['categoryId', 'companyId'],
    searchIn: ['code', 'label', 'value'],
    filters: ['active', 'category', 'company'],
    sorts: [
      { value: 'order', label: 'Order' },
      { value: 'code', label: 'Code' },
      { value: 'label', label: 'Label' },
    ],
    columns: [
      { key: 'code', label: 'Code', kind: 'code', link: true },
      { key: 'label', label: 'Label' },
      { key: 'category', label: 'Category' },
      { key: 'parent', label: 'Under' },
      { key: 'company', label: 'Company' },
      { key: 'isDefault', label: 'Default', kind: 'boolean' },
      { key: 'sortOrder', label: 'Order', kind: 'number' },
      { key: 'isActive', label: 'Active', kind: 'boolean' },
    ],
    fields: (c) => [
      code,
      { name: 'label', label: 'Label', kind: 'text', maxLength: 120 },
      { name: 'categoryId', label: 'Category', kind: 'select', ids: true, options: c.categories, createOnly: true, help: 'Fixed after creation.' },
      {
        name: 'parentOptionId',
        label: 'Sub-option of',
        kind: 'select',
        ids: true,
        required: false,
        options: c.parentOptions,
        emptyLabel: '— (top level)',
        help: 'A top-level option of the same category.',
      },
      companyField(c, 'optional'),
      { name: 'value', label: 'Value', kind: 'text', required: false, maxLength: 500 },
      flag('isDefault', 'Default choice of its list'),
      sortOrder,
    ],
  }),
  {
    slug: 'settings',
    sqlName: 'config_settings',
    label: 'Settings',
    noun: 'Setting',
    group: 'Options and settings',
    table: configSettings,
    description: 'Typed values (string, number, boolean, JSON); a company value overrides the shared one.',
    keyField: 'key',
    nameField: 'key',
    company: 'optional',
    softDelete: false,
    system: false,
    ordered: false,
    orderGroup: [],
    uniqueWith: ['companyId'],
    searchIn: ['key', 'description'],
    filters: ['company', 'valueType'],
    authorField: 'updatedBy',
    sorts: [
      { value: 'key', label: 'Key' },
      { value: 'updated', label: 'Last changed' },
    ],
    columns: [
      { key: 'key', label: 'Key', kind: 'code', link: true },
      { key: 'company', label: 'Company' },
      { key: 'valueType', label: 'Type' },
      { key: 'value', label: 'Value' },
      { key: 'isPublic', label: 'Public', kind: 'boolean' },
      { key: 'updatedAt', label: 'Changed', kind: 'date' },
    ],
    fields: (c) => [
      { name: 'key', label: 'Key', kind: 'code', maxLength: 80, createOnly: true, help: 'Letters, digits and _. Fixed after creation.' },
      companyField(c, 'optional'),
      {
        name: 'valueType',
        label: 'Type',
        kind: 'select',
        createOnly: true,
        options: ['string', 'number', 'boolean', 'json'].map((v) => ({ value: v, label: v })),
        help: 'Fixed after creation.',
      },
      { name: 'value', label: 'Value', kind: 'textarea', maxLength: 4000, help: 'number: e.g. 60 · boolean: true or false · json: a JSON value' },
      flag('isPublic', 'Public (may be shown without signing in)'),
      { name: 'description', label: 'Description', kind: 'textarea', required: false, maxLength: 500 },
      {
        name: 'remark',
        label: 'Why (when this change waits for approval)',
        kind: 'textarea',
        required: false,
        maxLength: 500,
        help: 'Changing a maker-checker setting (checker_…, approval_request_days) waits for another admin while the company checks changes; so does a sensitive setting (sign-in, passwords, sessions, limits, retention) where the company checks those (checker_sensitive_settings).',
      },
    ],
  },
];

export function configTable(slug: string | undefined): ConfigTable | null {
  return CONFIG_TABLES.find((t) => t.slug === slug) ?? null;
}
