import type { ParamDef } from '@lib/appwrite';
import type { Rule } from '@lib/appwrite';

type OpenApiType = ParamDef['openapi']['type'];
interface Options {
  required?: boolean;
  default?: unknown;
  example?: unknown;
  items?: { type: string };
}

/** Short forms for endpoint declarations; every param still carries its rule and its OpenAPI type. */
const build =
  (where: ParamDef['in']) =>
  (name: string, rule: Rule, type: OpenApiType, description: string, options: Options = {}): ParamDef => ({
    name,
    in: where,
    required: options.required ?? where === 'path',
    ...('default' in options ? { default: options.default } : {}),
    rule,
    openapi: { type, description, ...(options.items ? { items: options.items } : {}), ...('example' in options ? { example: options.example } : {}) },
  });

export const pathParam = build('path');
export const bodyParam = build('body');
export const queryParam = build('query');
