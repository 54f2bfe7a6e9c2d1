/**
 * Optional encryption of job bodies (task, environment, secrets) with a key shared by the coordinator and
 * the workers (`JORM_PAYLOAD_KEY`), so that Redis never holds them in clear. AES-256-GCM; the 256-bit key
 * is derived from the shared key with scrypt once per process.
 * @module
 */

import { cryptoLib } from '../libraries.js';
import { ConfigurationError, SerializationError } from '../model/errors.js';

const FORMAT = 'jorm1';
const SALT = 'jorm-payload-key-v1';

/** Encrypts and decrypts job bodies with one shared key. */
export class PayloadCipher {
  private readonly key: Buffer;

  /** @param sharedKey at least 16 characters; a long random string is best */
  constructor(sharedKey: string) {
    if (sharedKey.length < 16) {
      throw new ConfigurationError(
        'the payload key must be at least 16 characters long (use a long random string, e.g. `openssl rand -hex 32`)',
        'payloadKey',
        '***',
      );
    }
    this.key = cryptoLib().scryptSync(sharedKey, SALT, 32);
  }

  /** Encrypts a JSON value into a string. */
  seal(value: unknown): string {
    const iv = cryptoLib().randomBytes(12);
    const cipher = cryptoLib().createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, iv.toString('base64'), tag.toString('base64'), data.toString('base64')].join('.');
  }

  /** Decrypts what {@link seal} made. @throws SerializationError when the key differs or the text is damaged */
  open(sealed: string): unknown {
    const [format, iv, tag, data] = sealed.split('.');
    if (format !== FORMAT || iv === undefined || tag === undefined || data === undefined) {
      throw new SerializationError('sealed job body has an unknown format');
    }
    try {
      const decipher = cryptoLib().createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
      return JSON.parse(text.toString('utf8'));
    } catch (error) {
      throw new SerializationError(
        'cannot decrypt the job body: the worker and the coordinator must use the same payload key (JORM_PAYLOAD_KEY)',
        { cause: error },
      );
    }
  }
}
