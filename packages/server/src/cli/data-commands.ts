import type { Command } from 'commander';
import type { Services } from '../app.js';
import { DomainFailure } from '../domain/shared/failure.js';
import { dataClassWire } from '../http/data-presenters.js';

/** Runs an action against the configured store's services (main.ts opens and closes the store). */
export type WithServices = <T>(action: (services: Services) => Promise<T>) => Promise<T>;

const collect = (value: string, previous: string[]) => [...previous, value];

/** `name:Type[:indexed]` → a field definition. */
export function parseFieldSpec(spec: string): { name: string; type: string; indexed: boolean } {
  const [name = '', type = '', flag, ...rest] = spec.split(':');
  if (name === '' || type === '' || rest.length > 0 || (flag !== undefined && flag !== 'indexed')) {
    throw new DomainFailure('VALIDATION_FAILED', { fields: { field: [`"${spec}" must be name:Type or name:Type:indexed`] } });
  }
  return { name, type, indexed: flag === 'indexed' };
}

function parsePermissions(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DomainFailure('VALIDATION_FAILED', { fields: { permissions: ['must be JSON, e.g. {"read":{"access":"owner","level":"class"}}'] } });
  }
}

function describe(dataClass: ReturnType<typeof dataClassWire>): string {
  const fields = (dataClass.fields as { name: string; type: string; indexed: boolean }[]).map((field) => `${field.name}:${field.type}${field.indexed ? ':indexed' : ''}`);
  return `${String(dataClass.name)}\t${fields.join(' ')}`;
}

/** `parley data class create|list|delete`: custom-object classes (rest.md §6.1), defined by the administrator. */
export function registerDataCommands(program: Command, withServices: WithServices, print: (value: unknown) => void): void {
  const classCommand = program.command('data').description('custom objects').command('class').description('manage custom-object classes');

  classCommand
    .command('create')
    .description('define a class: --field name:Type[:indexed] (Integer, Float, Boolean, String, Array, Location, Date, File)')
    .requiredOption('--app <id>', 'application id')
    .requiredOption('--name <name>', 'class name (letters, digits, _)')
    .option('--field <spec>', 'a field as name:Type or name:Type:indexed (repeatable)', collect, [])
    .option('--permissions <json>', 'class permissions, e.g. {"read":{"access":"owner","level":"class"}}')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; name: string; field: string[]; permissions?: string; json?: boolean }) => {
      const fields = options.field.map(parseFieldSpec);
      const permissions = parsePermissions(options.permissions);
      const created = await withServices((services) => services.dataClasses.define(Number(options.app), { name: options.name, fields, permissions }));
      const wire = dataClassWire(created);
      print(options.json ? wire : `created class ${describe(wire)} in application ${options.app}`);
    });

  classCommand
    .command('list')
    .requiredOption('--app <id>', 'application id')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; json?: boolean }) => {
      const classes = (await withServices((services) => services.dataClasses.list(Number(options.app)))).map(dataClassWire);
      if (options.json) print(classes);
      else for (const dataClass of classes) print(describe(dataClass));
    });

  classCommand
    .command('delete')
    .description('delete a class and all of its records')
    .requiredOption('--app <id>', 'application id')
    .requiredOption('--name <name>', 'class name')
    .option('--json', 'print JSON')
    .action(async (options: { app: string; name: string; json?: boolean }) => {
      await withServices((services) => services.dataClasses.remove(Number(options.app), options.name));
      print(options.json ? { deleted: options.name, appId: Number(options.app) } : `deleted class ${options.name} from application ${options.app}`);
    });
}
