/**
 * GetRandomPassword: cryptographically random characters from the included sets. With
 * RequireEachIncludedType (the default) the password holds at least one lowercase letter, one uppercase
 * letter, one digit and one punctuation character, for each set that is not excluded; the space is never
 * required. https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
 */
import { randomInt } from 'node:crypto';
import type { GetRandomPasswordRequest } from '../../generated/secretsmanager.js';
import { invalidParameter } from './errors.js';

const DEFAULT_LENGTH = 32;
const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
// The set the API reference lists for ExcludePunctuation.
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function pick(characters: string[]): string {
  return characters[randomInt(characters.length)];
}

function shuffle(characters: string[]): string[] {
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j], characters[i]];
  }
  return characters;
}

export function randomPassword(request: GetRandomPasswordRequest): string {
  const length = request.PasswordLength ?? DEFAULT_LENGTH;
  const excluded = new Set(request.ExcludeCharacters ?? '');
  const usable = (set: string): string[] => Array.from(set).filter((character) => !excluded.has(character));

  const typed = [
    request.ExcludeLowercase ? [] : usable(LOWERCASE),
    request.ExcludeUppercase ? [] : usable(UPPERCASE),
    request.ExcludeNumbers ? [] : usable(DIGITS),
    request.ExcludePunctuation ? [] : usable(PUNCTUATION),
  ].filter((set) => set.length > 0);
  const all = [...typed.flat(), ...(request.IncludeSpace ? usable(' ') : [])];
  if (all.length === 0) throw invalidParameter('The password cannot be generated: every character is excluded.');

  const required = (request.RequireEachIncludedType ?? true) ? typed : [];
  if (required.length > length) throw invalidParameter('Password length is too short based on the required types.');

  const characters = required.map(pick);
  while (characters.length < length) characters.push(pick(all));
  return shuffle(characters).join('');
}
