import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { configFileSchema, FILE_FORMATS, type ConfigFile, type FileFormat } from '../schemas/config';
import { describeIssues } from '../schemas/issues';
import type { ResolvedSource, RunSettings, SettingsSource } from '../schemas/run';
import { SOURCE_NAMES, type SourceName } from '../schemas/sources';

export const CONFIG_FILE_NAME = 'segflow.config.json';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfigFile(text: string, file: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`${file} has ${parsed.error.issues.length} problem(s):\n${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

function formatOf(file: string, declared: FileFormat | undefined): FileFormat {
  if (declared) return declared;
  const extension = path.extname(file).slice(1).toLowerCase();
  if (extension === 'ndjson' || extension === 'json') return 'jsonl';
  if ((FILE_FORMATS as readonly string[]).includes(extension)) return extension as FileFormat;
  throw new ConfigError(`cannot tell the format of ${file} from its extension; set "format" to one of ${FILE_FORMATS.join(', ')}`);
}

/** The real path of `file`, through symbolic links, or the path itself while it does not exist. */
function realPath(file: string): string {
  return existsSync(file) ? realpathSync(file) : file;
}

/**
 * A source's file, which must lie inside dataDir (through any symbolic link) unless the configuration allows
 * otherwise: a configuration that names ../../etc/passwd must not make the pipeline read it.
 */
function sourceFile(name: SourceName, relative: string, dataDir: string, config: ConfigFile): string {
  const file = path.resolve(dataDir, relative);
  const inside = path.relative(realPath(dataDir), realPath(file));
  if (!config.allowPathsOutsideDataDir && (inside.startsWith('..') || path.isAbsolute(inside))) {
    throw new ConfigError(
      `sources.${name}.path: '${relative}' is outside the data folder ${dataDir}; move the file there, or set ` +
        '"allowPathsOutsideDataDir": true if reading it from there is intended',
    );
  }
  return file;
}

function toSettings(config: ConfigFile, dataDir: string, configFile: string | null): RunSettings {
  const sources: Partial<Record<SourceName, ResolvedSource>> = {};
  for (const name of SOURCE_NAMES) {
    const source = config.sources[name];
    if (!source) continue;
    const file = sourceFile(name, source.path, dataDir, config);
    sources[name] = {
      file,
      format: formatOf(file, source.format),
      columns: source.columns,
      timestampFormat: source.timestampFormat,
      cancelledOrderPrefix: source.cancelledOrderPrefix,
      delimiter: source.delimiter,
      encoding: source.encoding,
    };
  }
  return {
    configFile,
    businessTimeZone: config.businessTimeZone,
    sources,
    rfm: config.rfm,
    clustering: config.clustering,
    revenue: config.revenue,
    churn: config.churn,
    discountSensitivity: config.discountSensitivity,
    clv: config.clv,
    campaigns: config.campaigns,
    campaignPolicy: config.campaignPolicy,
    retention: config.retention,
    duckdb: config.duckdb,
    validation: config.validation,
    guards: config.guards,
    baskets: config.baskets,
    salesTrends: config.salesTrends,
    genderValues: config.genderValues,
    channels: config.channels,
  };
}

export function loadConfigFile(configFile: string): RunSettings {
  const absolute = path.resolve(configFile);
  if (!existsSync(absolute)) throw new ConfigError(`configuration file ${absolute} does not exist`);
  if (statSync(absolute).isDirectory()) {
    throw new ConfigError(`configuration file ${absolute} is a folder: name the JSON file in it, or give the folder as the data folder (--data)`);
  }
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`configuration file ${absolute} cannot be read: ${(error as Error).message}`);
  }
  const config = parseConfigFile(text, absolute);
  return toSettings(config, path.resolve(path.dirname(absolute), config.dataDir), absolute);
}

/**
 * Settings for a data folder: its segflow.config.json if it has one, otherwise files named after the sources
 * (orders.csv, members.parquet, reviews.jsonl, ...) with their columns already named as ours.
 */
export function settingsForDataDir(dataDir: string): RunSettings {
  const absolute = path.resolve(dataDir);
  if (!existsSync(absolute)) throw new ConfigError(`data folder ${absolute} does not exist`);
  if (!statSync(absolute).isDirectory()) {
    throw new ConfigError(`data folder ${absolute} is a file, not a folder: give its folder, or a configuration file (--config)`);
  }
  const configFile = path.join(absolute, CONFIG_FILE_NAME);
  if (existsSync(configFile)) return loadConfigFile(configFile);

  const sources: Record<string, { path: string }> = {};
  for (const name of SOURCE_NAMES) {
    const found = ['csv', 'parquet', 'jsonl'].map((ext) => `${name}.${ext}`).find((f) => existsSync(path.join(absolute, f)));
    if (found) sources[name] = { path: found };
  }
  if (!sources.orders) {
    throw new ConfigError(
      `no orders file in ${absolute}: expected orders.csv, orders.parquet or orders.jsonl, or a ${CONFIG_FILE_NAME} that maps your files`,
    );
  }
  const parsed = configFileSchema.parse({ sources });
  return toSettings(parsed, absolute, null);
}

export function loadSettings(source: SettingsSource): RunSettings {
  return source.kind === 'config' ? loadConfigFile(source.path) : settingsForDataDir(source.path);
}
