#!/usr/bin/env node
/*
 * Generate labextension/src/schema.ts from the wire schema that the Python side owns
 * (synthstudio_kernel/schema/api.schema.json).
 *
 *   jlpm build:schema          rewrite the generated file
 *   jlpm check:schema          exit 1 when the committed file is out of date
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { compile } = require('json-schema-to-typescript');

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMA = path.join(ROOT, 'synthstudio_kernel', 'schema', 'api.schema.json');
const TARGET = path.join(ROOT, 'labextension', 'src', 'schema.ts');

const BANNER = `/* eslint-disable */
/**
 * GENERATED FILE, do not edit. Source: synthstudio_kernel/schema/api.schema.json.
 * Regenerate with \`jlpm build:schema\`; jest fails when this file is out of date.
 */`;

/** Render the TypeScript source for the current schema. */
async function generate() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  return compile(schema, 'SynthStudioWire', {
    bannerComment: BANNER,
    additionalProperties: false,
    cwd: path.dirname(SCHEMA),
    declareExternallyReferenced: true,
    enableConstEnums: false,
    format: true,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: true,
    style: { singleQuote: true, trailingComma: 'none', printWidth: 100 },
    unknownAny: true
  });
}

async function main() {
  const check = process.argv.includes('--check');
  const at = process.argv.indexOf('--target');
  const target = at > 0 ? path.resolve(process.argv[at + 1]) : TARGET;
  const source = await generate();
  if (check) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== source) {
      console.error(`${path.relative(ROOT, target)} is out of date: run \`jlpm build:schema\`.`);
      process.exit(1);
    }
    console.log(`${path.relative(ROOT, target)} is up to date.`);
    return;
  }
  fs.writeFileSync(target, source);
  console.log(`wrote ${path.relative(ROOT, target)}`);
}

module.exports = { generate, SCHEMA, TARGET };

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
