/**
 * Execution ids: ULIDs (26 characters of Crockford base32, sortable by creation time, unique).
 * @module
 */

import { cryptoLib } from '../libraries.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A new ULID. Ids made in the same millisecond by this process still sort in creation order
 * (the random part is incremented, as the ULID spec's monotonic mode does).
 */
export function newExecutionId(now: number = Date.now()): string {
  let random: number[];
  if (now <= lastTime && lastRandom.length === 16) {
    random = [...lastRandom];
    for (let i = 15; i >= 0; i--) {
      random[i] = (random[i]! + 1) % 32;
      if (random[i] !== 0) break;
    }
    now = lastTime;
  } else {
    random = [...cryptoLib().randomBytes(16)].map((b) => b % 32);
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((r) => ALPHABET[r]).join('');
}

/** Whether a string is a well-formed ULID. */
export function isExecutionId(text: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(text);
}
