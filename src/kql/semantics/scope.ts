/**
 * What a name can mean while binding: a column of the operator's input, a `let`-bound scalar or
 * tabular value, or a table of the catalog. Columns shadow `let` names, as in Kusto.
 */
import type { BoundExpr, PlanNode } from './bound.js';
import type { FunctionDefinition } from '../syntax/ast.js';
import type { Schema } from '../values/types.js';

export type LetBinding =
  | { kind: 'scalar'; expr: BoundExpr }
  | { kind: 'tabular'; plan: PlanNode }
  /** A user-defined function: bound at each call, in the scope where it was defined. */
  | { kind: 'function'; name: string; definition: FunctionDefinition; closure: LetScope };

/** Where the binder finds tables: the data catalog (files, in-memory tables) and the built-in schemas. */
export interface SchemaProvider {
  tableSchema(name: string): Schema | undefined;
  tableNames(): string[];
}

export class LetScope {
  private readonly bindings = new Map<string, LetBinding>();

  constructor(private readonly parent?: LetScope) {}

  child(): LetScope {
    return new LetScope(this);
  }

  define(name: string, binding: LetBinding): void {
    this.bindings.set(name, binding);
  }

  lookup(name: string): LetBinding | undefined {
    return this.bindings.get(name) ?? this.parent?.lookup(name);
  }

  /** Names bound to `view () { … }` here or in an enclosing scope (and not shadowed by another binding). */
  viewNames(): string[] {
    const names = new Set([...this.bindings.keys(), ...(this.parent?.viewNames() ?? [])]);
    return [...names].filter((name) => {
      const binding = this.lookup(name);
      return binding?.kind === 'function' && binding.definition.view === true;
    });
  }
}

export function columnIndex(schema: Schema, name: string): number {
  return schema.findIndex((c) => c.name === name);
}
