import { ConfigError } from '../lib/config';
import { DevServerBusy } from '../lib/devServerLock';
import { helpText, parseCommandArgs, UsageError, type Command } from './args';
import { backfillCommand } from './backfillCommand';
import { generateCommand } from './generateCommand';
import { modelsCommand } from './modelsCommand';
import { reportCommand } from './reportCommand';
import { runCommand } from './runCommand';
import { runsCommand } from './runsCommand';
import { scheduleCommand } from './scheduleCommand';
import { serverCommand } from './serverCommand';
import { trainCommand } from './trainCommand';
import { workerCommand } from './workerCommand';

const COMMANDS: Command[] = [runCommand, backfillCommand, runsCommand, reportCommand, modelsCommand, trainCommand, scheduleCommand, workerCommand, generateCommand, serverCommand];

function overview(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`);
  return `segflow: customer segmentation (RFM, clusters, churn, campaigns) on Temporal, published as Parquet.\n\n` +
    `Usage: segflow <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'segflow <command> --help' for a command's options.\n`;
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`segflow: unknown command '${name}'.\n\n${overview()}`);
    process.exitCode = 2;
    return;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      process.stdout.write(helpText(command));
      return;
    }
    process.exitCode = await command.run(values, positionals);
  } catch (error) {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof DevServerBusy;
    process.stderr.write(`segflow ${name}: ${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exitCode = known ? 2 : 1;
  }
}
