/** GetRandomPassword: length, character sets, exclusions and the one-of-each-type guarantee. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetRandomPasswordCommandInput } from '@aws-sdk/client-secrets-manager';
import { GetRandomPasswordCommand } from '@aws-sdk/client-secrets-manager';
import { rejectsWith } from '../../helpers/assertions.js';
import { useNimbus } from '../../helpers/nimbus.js';
import { secretsManager } from './helpers.js';

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;

describe('Secrets Manager GetRandomPassword', () => {
  const nimbus = useNimbus();
  const generate = async (input: GetRandomPasswordCommandInput): Promise<string> =>
    (await secretsManager(nimbus()).send(new GetRandomPasswordCommand(input))).RandomPassword!;

  it('makes 32 characters by default, with a lowercase, an uppercase, a digit and a punctuation character', async () => {
    for (let i = 0; i < 20; i++) {
      const password = await generate({});
      assert.equal(password.length, 32);
      assert.match(password, /[a-z]/);
      assert.match(password, /[A-Z]/);
      assert.match(password, /[0-9]/);
      assert.match(password, PUNCTUATION);
      assert.doesNotMatch(password, / /);
    }
  });

  const cases: { name: string; input: GetRandomPasswordCommandInput; allowed: RegExp }[] = [
    { name: 'without punctuation', input: { ExcludePunctuation: true }, allowed: /^[A-Za-z0-9]+$/ },
    { name: 'digits only', input: { ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }, allowed: /^[0-9]+$/ },
    { name: 'without numbers and uppercase', input: { ExcludeNumbers: true, ExcludeUppercase: true }, allowed: /^[a-z!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/ },
    { name: 'without the excluded characters', input: { PasswordLength: 120, ExcludeCharacters: 'xyzDje@?!.' }, allowed: /^[^xyzDje@?!.]+$/ },
    { name: 'with spaces allowed', input: { PasswordLength: 200, IncludeSpace: true, ExcludePunctuation: true }, allowed: /^[A-Za-z0-9 ]+$/ },
  ];
  for (const { name, input, allowed } of cases) {
    it(`makes passwords ${name}`, async () => {
      const password = await generate(input);
      assert.equal(password.length, input.PasswordLength ?? 32);
      assert.match(password, allowed);
    });
  }

  it('makes the shortest and longest passwords the types allow', async () => {
    assert.equal((await generate({ PasswordLength: 4 })).length, 4);
    assert.equal((await generate({ PasswordLength: 4096 })).length, 4096);
    assert.equal((await generate({ PasswordLength: 1, RequireEachIncludedType: false })).length, 1);
  });

  it('refuses lengths the required types or the model do not allow', async () => {
    await rejectsWith(generate({ PasswordLength: 3 }), 'InvalidParameterException', 'Password length is too short based on the required types.');
    await rejectsWith(
      generate({ PasswordLength: 4097 }),
      'ValidationException',
      "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy constraint: Member must have value less than or equal to 4096",
    );
  });
});
