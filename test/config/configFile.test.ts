import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfigFile, parseConfigFile, settingsForDataDir } from '../../lib/config';

const problems = (config: unknown) => {
  try {
    parseConfigFile(JSON.stringify(config), 'segflow.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
};

test('a misspelt column name is named with its path and the columns that exist', () => {
  const message = problems({ sources: { orders: { path: 'orders.csv', columns: { odrer_id: 'InvoiceNo' } } } });
  expect(message).toContain("sources.orders.columns.odrer_id: 'odrer_id' is not a column of orders; expected one of: order_id, ordered_at");
});

test('every mistake is listed, each with the field it concerns', () => {
  const message = problems({
    businessTimeZone: 'Mars/Olympus',
    sources: { orders: { path: 'orders.csv', format: 'xlsx' }, reviewz: { path: 'r.csv' } },
    clustering: { k: 1 },
  });
  expect(message).toMatch(/has 4 problem\(s\)/);
  expect(message).toContain('businessTimeZone: not an IANA time zone');
  expect(message).toContain('sources.orders.format:');
  expect(message).toContain('sources: Unrecognized key: "reviewz"');
  expect(message).toContain('clustering.k:');
});

test('orders are the one required source', () => {
  expect(problems({ sources: { members: { path: 'members.csv' } } })).toContain('sources.orders: orders is required');
});

test('invalid JSON names the file', () => {
  expect(() => parseConfigFile('{ "sources": ', '/tmp/x.json')).toThrow(/\/tmp\/x\.json is not valid JSON/);
});

test('paths resolve against the configuration file and formats follow the extension', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-config-'));
  const file = path.join(dir, 'my.config.json');
  await fs.writeFile(file, JSON.stringify({ dataDir: 'exports', sources: { orders: { path: 'o.parquet' }, reviews: { path: 'r.ndjson' } } }));
  const settings = loadConfigFile(file);
  expect(settings.sources.orders).toMatchObject({ file: path.join(dir, 'exports', 'o.parquet'), format: 'parquet' });
  expect(settings.sources.reviews!.format).toBe('jsonl');
  expect(settings.rfm.segments).toHaveLength(11);
});

test('a data folder without a configuration is read by file names, and must hold orders', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-datadir-'));
  expect(() => settingsForDataDir(dir)).toThrow(/no orders file in .*expected orders\.csv, orders\.parquet or orders\.jsonl/);
  await fs.writeFile(path.join(dir, 'orders.csv'), 'order_id\n');
  await fs.writeFile(path.join(dir, 'members.parquet'), '');
  const settings = settingsForDataDir(dir);
  expect(Object.keys(settings.sources).sort()).toEqual(['members', 'orders']);
  expect(settings.configFile).toBeNull();
});

test("segment rules that leave score cells without a segment, or that can never match, are named", () => {
  const message = problems({
    sources: { orders: { path: 'orders.csv' } },
    rfm: {
      segments: [
        { segment: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
        { segment: 'At Risk', r: [1, 2], f: [3, 5], m: [3, 5] },
        { segment: 'Cannot Lose Them', r: [1, 2], f: [4, 5], m: [4, 5] },
        { segment: 'Everyone recent', r: [3, 5] },
      ],
    },
  });
  expect(message).toMatch(/has 2 problem\(s\)/);
  expect(message).toContain(
    "rfm.segments.2: rule 'Cannot Lose Them' can never match: earlier rules take every cell its ranges cover; move it up or narrow the rules before it",
  );
  // R 1-2 with F or M below 3 matches nothing: 2 x 25 - 2 x 9 = 32 cells, the first ten listed.
  expect(message).toContain('rfm.segments: no rule matches the score cells 111, 112, 113, 114, 115, 121, 122, 123, 124, 125, ... (32 of 125)');
});

test('the default segment rules give every one of the eleven segments at least one score cell', () => {
  const settings = parseConfigFile(JSON.stringify({ sources: { orders: { path: 'orders.csv' } } }), 'segflow.config.json');
  expect(settings.rfm.segments.map((rule) => rule.segment)).toEqual([
    'Champions', 'Loyal Customers', 'Potential Loyalists', 'New Customers', 'Promising', 'Need Attention',
    'About to Sleep', 'Cannot Lose Them', 'At Risk', 'Hibernating', 'Lost',
  ]);
});

test('a source outside the data folder is refused unless the configuration allows it, also through a link', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'segflow-paths-'));
  try {
    const dataDir = path.join(root, 'data');
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(root, 'secret.csv'), 'order_id,ordered_at,member_id\n');
    await fs.symlink(path.join(root, 'secret.csv'), path.join(dataDir, 'linked.csv'));
    const write = async (config: object) => {
      const file = path.join(dataDir, 'segflow.config.json');
      await fs.writeFile(file, JSON.stringify(config));
      return file;
    };

    for (const orders of ['../secret.csv', path.join(root, 'secret.csv'), 'linked.csv']) {
      const config = await write({ sources: { orders: { path: orders } } });
      expect(() => loadConfigFile(config)).toThrow(`sources.orders.path: '${orders}' is outside the data folder ${dataDir}`);
    }
    const allowed = await write({ allowPathsOutsideDataDir: true, sources: { orders: { path: '../secret.csv' } } });
    expect(loadConfigFile(allowed).sources.orders!.file).toBe(path.join(root, 'secret.csv'));
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test("the revenue definition is net unless configured 'gross'; anything else is named", () => {
  const orders = { orders: { path: 'orders.csv' } };
  expect(parseConfigFile(JSON.stringify({ sources: orders }), 'c.json').revenue).toEqual({ definition: 'net' });
  expect(parseConfigFile(JSON.stringify({ sources: orders, revenue: { definition: 'gross' } }), 'c.json').revenue).toEqual({ definition: 'gross' });
  expect(problems({ sources: orders, revenue: { definition: 'Net' } })).toContain('revenue.definition:');
});

test('a source of order lines that maps both unit_price and line_amount is named', () => {
  const columns = { unit_price: 'UnitPrice', line_amount: 'LineTotal' };
  expect(problems({ sources: { orders: { path: 'orders.csv', columns } } })).toContain(
    'sources.orders.columns: orders maps both unit_price and line_amount; a line is priced by one of them',
  );
  expect(problems({ sources: { orders: { path: 'orders.csv' }, order_items: { path: 'items.csv', columns } } })).toContain(
    'sources.order_items.columns: order_items maps both unit_price and line_amount',
  );
});

test('gender values default to the common ones, English and Korean; a list given replaces its gender only; a value in both is named', () => {
  const orders = { orders: { path: 'orders.csv' } };
  expect(parseConfigFile(JSON.stringify({ sources: orders }), 'c.json').genderValues).toEqual({
    female: ['F', 'female', 'W', 'woman', '여', '여성'],
    male: ['M', 'male', 'man', '남', '남성'],
  });
  expect(parseConfigFile(JSON.stringify({ sources: orders, genderValues: { female: [' 1 '] } }), 'c.json').genderValues).toEqual({
    female: ['1'],
    male: ['M', 'male', 'man', '남', '남성'],
  });
  expect(problems({ sources: orders, genderValues: { female: ['F', 'X'], male: ['M', 'x'] } })).toContain(
    "genderValues.male.1: 'x' is listed under female too; a value means one gender",
  );
  expect(problems({ sources: orders, genderValues: { female: [] } })).toContain('genderValues.female:');
  expect(problems({ sources: orders, genderValues: { female: ['F', ' '] } })).toContain('genderValues.female.1:');
  expect(problems({ sources: orders, genderValues: { woman: ['F'] } })).toContain('genderValues: Unrecognized key: "woman"');
});

test("channels: organic and referral are unpaid and GA mediums group as GA does, unless configured; names are trimmed and lower-cased", () => {
  const orders = { orders: { path: 'orders.csv' } };
  const defaults = parseConfigFile(JSON.stringify({ sources: orders }), 'c.json').channels;
  expect(defaults.unpaid).toEqual(['organic', 'referral']);
  expect(defaults.gaMediums).toMatchObject({ organic: 'organic', cpc: 'paid_search', '(none)': 'direct' });
  const configured = { unpaid: [' Organic ', 'DIRECT'], gaMediums: { ' CPC ': 'Paid_Search' } };
  expect(parseConfigFile(JSON.stringify({ sources: orders, channels: configured }), 'c.json').channels).toEqual({
    unpaid: ['organic', 'direct'],
    gaMediums: { cpc: 'paid_search' },
  });
  expect(parseConfigFile(JSON.stringify({ sources: orders, channels: { unpaid: [] } }), 'c.json').channels.unpaid).toEqual([]);
  expect(problems({ sources: orders, channels: { unpaid: ['organic', ' '] } })).toContain('channels.unpaid.1:');
  expect(problems({ sources: orders, channels: { paid: ['email'] } })).toContain('channels: Unrecognized key: "paid"');
});
