// Runtime-neutral: a query built once per database and run many times with placeholders.
import type { AppDatabase } from './database';

/**
 * For the reads every signed-in request makes: drizzle builds the SQL text of a query on every call,
 * which for the session's join cost more CPU than SQLite's read (decision 112). `build` is called
 * once per database (each test's fresh file is its own); the result is drizzle's prepared query.
 */
export function preparedPerDatabase<T>(build: (db: AppDatabase) => T): (db: AppDatabase) => T {
  const byDatabase = new WeakMap<AppDatabase, T>();
  return (db) => {
    let statement = byDatabase.get(db);
    if (statement === undefined) byDatabase.set(db, (statement = build(db)));
    return statement;
  };
}
