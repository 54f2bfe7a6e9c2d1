import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecretsInLine } from '../../src/env/redact-line.js';

describe('redactSecretsInLine', () => {
  it('hides the values of secret variables in every format, and nothing else', () => {
    const cases: [string, string][] = [
      ['DB_PASSWORD="s3cr3t"', 'DB_PASSWORD=***'],
      ['DB_PASSWORD="never closed', 'DB_PASSWORD=***'],
      ['API_TOKEN = ["tok-1234"]', 'API_TOKEN = ***'],
      ['  env: { API_TOKEN: "tok-abc", PLAIN: "x" }', '  env: { API_TOKEN: ***, PLAIN: "x" }'],
      ['    SECRET_KEY: bare-value # comment', '    SECRET_KEY: *** # comment'],
      ['  "GITHUB_TOKEN": "ghp_x", "REGION": "eu"', '  "GITHUB_TOKEN": ***, "REGION": "eu"'],
      ["export AWS_SECRET_ACCESS_KEY='k'", 'export AWS_SECRET_ACCESS_KEY=***'],
      ['  timeout: 5 parsecs', '  timeout: 5 parsecs'],
      ['REGION=eu-west-1', 'REGION=eu-west-1'],
      ['no assignment here', 'no assignment here'],
    ];
    for (const [line, shown] of cases) assert.equal(redactSecretsInLine(line), shown, line);
  });

  it('keeps the columns before each value, so that a caret under it still points at it', () => {
    const line = '  env: { API_TOKEN: "tok-abc" }';
    assert.equal(redactSecretsInLine(line).indexOf('***'), line.indexOf('"tok-abc"'));
  });
});
