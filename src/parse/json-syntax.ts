/**
 * Strict JSON for `.json` DAG files: the `yaml` package reads JSON with positions, but it also accepts YAML
 * that is not JSON. This finds the first place where a text that YAML read is not valid JSON.
 * @module
 */

import type { Node } from 'yaml';
import { yamlLib } from '../libraries.js';

/** A JSON syntax problem at an offset of the text. */
export interface JsonProblem {
  message: string;
  offset: number;
  hint?: string;
}

const JSON_LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

/** The first JSON syntax problem of `text` (whose YAML tree is `root`), or `undefined` when it is JSON. */
export function checkJsonSyntax(text: string, root: unknown): JsonProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const construct = findNonJson(text, root, 0);
    if (construct) return construct;
    const raw = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(raw);
    const message = raw
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    return { message: `invalid JSON: ${message}`, offset: position ? Number(position[1]) : 0 };
  }
}

function findNonJson(text: string, node: unknown, depth: number): JsonProblem | undefined {
  const { isAlias, isCollection, isMap, isScalar, Scalar } = yamlLib();
  if (depth > 200 || node === null || typeof node !== 'object') return undefined;
  const offset = (node as Node).range?.[0] ?? 0;
  if (isAlias(node)) return { message: 'invalid JSON: YAML aliases (*name) are not JSON', offset };
  if ((node as Node).anchor) return { message: 'invalid JSON: YAML anchors (&name) are not JSON', offset };
  if (isScalar(node)) {
    if (node.type === Scalar.QUOTE_DOUBLE) return undefined;
    if (node.type === Scalar.PLAIN) {
      const source = text.slice(offset, (node as Node).range?.[1] ?? offset);
      if (JSON_LITERAL.test(source)) return undefined;
      return {
        message: `invalid JSON: ${JSON.stringify(source)} is not a JSON value`,
        offset,
        hint: 'strings are written in double quotes',
      };
    }
    return { message: 'invalid JSON: strings are written in double quotes', offset };
  }
  if (isCollection(node)) {
    if (!node.flow) {
      return {
        message: 'invalid JSON: this is YAML block syntax',
        offset,
        hint: 'write JSON with { } and [ ]',
      };
    }
    for (const item of node.items) {
      if (isMap(node)) {
        const pair = item as { key: unknown; value: unknown };
        const key = pair.key;
        if (isScalar(key) && key.type !== Scalar.QUOTE_DOUBLE) {
          return {
            message: 'invalid JSON: keys are written in double quotes',
            offset: (key as Node).range?.[0] ?? offset,
          };
        }
        const found = findNonJson(text, pair.value, depth + 1);
        if (found) return found;
      } else {
        const found = findNonJson(text, item, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}
