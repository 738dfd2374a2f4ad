// The whole schema, for drizzle(client, { schema }) and drizzle-kit.
export * from './lookups';
export * from './organization';
export * from './users';
export * from './clients';
export * from './status';
export * from './status-counts';
export * from './jobs';
export * from './config';
export * from './activity';
export * from './reports';
export * from './approvals';
export { PERIOD_TYPES, SCOPES, type PeriodType, type Scope } from './columns';
