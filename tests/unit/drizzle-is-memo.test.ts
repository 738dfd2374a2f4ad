// Decision 122: patches/drizzle-orm+0.45.4.patch keeps is()'s answer per (prototype, class asked).
// Building a query's SQL asks is() for every chunk against several classes, so every statement of every
// page paid for an instanceof, an own-symbol check and a walk of the class chain. The answers must stay
// what drizzle answers: a subclass instance is its parent's kind but not the other way round, whichever
// is asked first; an object of a foreign copy with the same entity kind still counts; a class that is
// not a drizzle entity throws every time; and the SQL the app's queries build does not change.
import { and, Column, eq, inArray, is, isNull, SQL, sql, Table } from 'drizzle-orm';
import { entityKind } from 'drizzle-orm/entity';
import { SQLiteColumn, SQLiteTable, SQLiteText } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/libsql';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import * as schema from '../../db/schema';

describe('drizzle is() with the per-prototype memo', () => {
  it('answers a column, a table and SQL by their class chains, asked in either order and again', () => {
    const name = schema.clients.fullName;
    for (let round = 0; round < 3; round++) {
      expect(is(name, SQLiteText)).toBe(true);
      expect(is(name, SQLiteColumn)).toBe(true);
      expect(is(name, Column)).toBe(true);
      expect(is(name, SQL)).toBe(false);
      expect(is(name, Table)).toBe(false);
      expect(is(schema.clients, Table)).toBe(true);
      expect(is(schema.clients, SQLiteTable)).toBe(true);
      expect(is(schema.clients, Column)).toBe(false);
      expect(is(sql`1`, SQL)).toBe(true);
      expect(is(sql`1`, Column)).toBe(false);
    }
  });

  it('keeps a parent answer from leaking to its subclass and back', () => {
    // The parent's instance is asked about the child class first, then the child's instance.
    class Parent {
      static readonly [entityKind]: string = 'TestParent';
    }
    class Child extends Parent {
      static override readonly [entityKind]: string = 'TestChild';
    }
    const parent = new Parent();
    const child = new Child();
    expect(is(parent, Child)).toBe(false);
    expect(is(child, Parent)).toBe(true);
    expect(is(child, Child)).toBe(true);
    expect(is(parent, Parent)).toBe(true);
    expect(is(parent, Child)).toBe(false);
  });

  it('counts an object of another copy of drizzle by its entity kind', () => {
    // Two installs of drizzle have two SQL classes; instanceof fails, the kind still matches.
    class ForeignSQL {
      static readonly [entityKind] = (SQL as unknown as Record<symbol, string>)[entityKind];
    }
    const foreign = new ForeignSQL();
    expect(is(foreign, SQL)).toBe(true);
    expect(is(foreign, SQL)).toBe(true);
    expect(is(foreign, Column)).toBe(false);
  });

  it('throws for a class that is not a drizzle entity, every time, and answers plain values as before', () => {
    class NotAnEntity {}
    const value = new NotAnEntity();
    expect(() => is(value, NotAnEntity as never)).not.toThrow(); // instanceof answers first, as unpatched
    expect(() => is({}, NotAnEntity as never)).toThrow(/doesn't look like a Drizzle entity/);
    expect(() => is({}, NotAnEntity as never)).toThrow(/doesn't look like a Drizzle entity/);
    expect(is(null, SQL)).toBe(false);
    expect(is('select 1', SQL)).toBe(false);
    expect(is({}, SQL)).toBe(false);
    expect(() => is(Object.create(null), SQL)).toThrow(TypeError); // unpatched: reads the missing prototype's constructor
  });

  it('builds the same SQL and parameters for an app query on every call', () => {
    const db = drizzle(createClient({ url: ':memory:' }), { schema });
    const { clients, branches, clientPeriodStatus } = schema;
    const build = () =>
      db
        .select({ id: clients.id, name: clients.fullName, branch: branches.code, status: clientPeriodStatus.statusTypeId })
        .from(clientPeriodStatus)
        .innerJoin(clients, eq(clients.id, clientPeriodStatus.clientId))
        .innerJoin(branches, eq(branches.id, clients.branchId))
        .where(and(eq(clientPeriodStatus.periodKey, '2026-11'), isNull(clients.deletedAt), inArray(clients.branchId, [1, 2, 3])))
        .limit(25)
        .toSQL();
    const first = build();
    expect(first.sql).toBe(
      'select "clients"."id", "clients"."full_name", "branches"."code", "client_period_status"."status_type_id" from "client_period_status" ' +
        'inner join "clients" on "clients"."id" = "client_period_status"."client_id" inner join "branches" on "branches"."id" = "clients"."branch_id" ' +
        'where ("client_period_status"."period_key" = ? and "clients"."deleted_at" is null and "clients"."branch_id" in (?, ?, ?)) limit ?',
    );
    expect(first.params).toEqual(['2026-11', 1, 2, 3, 25]);
    for (let i = 0; i < 5; i++) expect(build()).toEqual(first);
  });
});
