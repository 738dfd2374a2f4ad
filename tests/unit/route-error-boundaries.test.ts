// Every route module that renders a page exports an ErrorBoundary (decision 084), so a new route
// cannot forget it: its errors then render inside the layout, never as the root's bare page.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { routeModules } from '../support/route-modules';

const routesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../app/routes');
/** The names a module exports ('default' included), read from its syntax. */
function exportedNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(path.join(routesDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  for (const statement of source.statements) {
    if (ts.isExportAssignment(statement)) names.add('default');
    else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.add(element.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && exported(statement)) {
      names.add(isDefault(statement) ? 'default' : (statement.name?.text ?? 'default'));
    } else if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    }
  }
  return names;
}

describe('route modules and their error boundary', () => {
  const modules = routeModules();

  it('finds the route modules (this test reads the right folder)', () => {
    expect(modules.length).toBeGreaterThan(20);
    expect(modules).toContain('clients.$id/route.tsx');
  });

  it('every route with a default component exports ErrorBoundary', () => {
    const missing = modules.filter((file) => {
      const names = exportedNames(file);
      return names.has('default') && !names.has('ErrorBoundary');
    });
    expect(missing, 'add: export { GeneralErrorBoundary as ErrorBoundary } from "../ui/general-error-boundary";').toEqual([]);
  });

  it('resource routes (no component) are the only ones without it', () => {
    const resources = modules.filter((file) => !exportedNames(file).has('default'));
    for (const file of resources) expect(exportedNames(file).has('loader') || exportedNames(file).has('action'), file).toBe(true);
  });
});
