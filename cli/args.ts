import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseRunDate } from '../lib/runDate';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** One line per option, in the order shown by --help. */
  help: Record<string, string>;
  /** Whether the command takes words besides its options (a subcommand). */
  positionals?: boolean;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

export function helpText(command: Command): string {
  const width = Math.max(...Object.keys(command.help).map((name) => name.length)) + 4;
  const lines = Object.entries(command.help).map(([name, text]) => `  ${name.padEnd(width)}${text}`);
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${lines.join('\n')}\n`;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.positionals ?? false,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    // Node's message can span lines ('argument is ambiguous. Did you forget ...'): a usage mistake is one line.
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/([^.?!])$/, '$1.');
    throw new UsageError(`${message} Run 'segflow ${command.name} --help' for the options.`);
  }
}

export function numberOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0) throw new UsageError(`--${name} must be a whole number, got '${raw}'`);
  return parsed;
}

/** A YYYY-MM-DD option, checked to be a calendar date; undefined when not given. */
export function dateOption(values: Record<string, unknown>, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  try {
    return parseRunDate(String(raw));
  } catch (error) {
    throw new UsageError(`--${name}: ${(error as Error).message}`);
  }
}
