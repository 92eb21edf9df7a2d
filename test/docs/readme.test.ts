import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SEGMENT_RULES } from '../../schemas/config';
import { columnsOf, SOURCE_NAMES } from '../../schemas/sources';
import { outputDictionary } from './outputDictionary';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

test.each(SOURCE_NAMES)('the README documents every %s column with its type and meaning', (source) => {
  const section = readme.split(`#### ${source}\n`)[1]?.split('####')[0];
  expect(section).toBeDefined();
  for (const column of columnsOf(source)) {
    expect(section).toContain(`| ${column.name} | ${column.sqlType} |`);
    expect(section).toContain(column.description.slice(0, 40));
  }
});

test('the README\'s output data dictionary is the contracts of the published tables, rendered', () => {
  const start = readme.indexOf('### Output data dictionary\n');
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start)).trimEnd();
  expect(section).toBe(outputDictionary());
});

test('the README gives the two commands that .ci/run relies on', () => {
  expect(readme).toContain('npm install && npm start');
  expect(readme).toContain('npm test');
  expect(readFileSync(path.join(__dirname, '..', '..', '.ci', 'run'), 'utf8')).toMatch(/\nnpm test\n/);
});

test('the README segment table is the default rule table, in order', () => {
  const rows = readme
    .split('\n')
    .filter((line) => /^ {2}\| \d+ \| [A-Za-z ]+ \| [\d–]+ \|/.test(line))
    .map((line) => line.split('|').slice(2, 6).map((cell) => cell.trim()));
  const range = ([low, high]: [number, number]) => (low === high ? `${low}` : `${low}–${high}`);
  expect(rows).toEqual(DEFAULT_SEGMENT_RULES.map((rule) => [rule.segment, range(rule.r), range(rule.f), range(rule.m)]));
});
