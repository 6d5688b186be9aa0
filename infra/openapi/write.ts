/**
 * `npm run openapi [-- <file>]`: writes the OpenAPI document (functions/platform/openapi.json by
 * default). The CDK build runs it after bundling the platform function, into the bundle.
 */
import { resolve } from 'node:path';
import { OPENAPI_DOCUMENT_FILE, REPO_ROOT, writeOpenApiDocument } from './document.js';

const file = resolve(process.argv[2] ?? resolve(REPO_ROOT, OPENAPI_DOCUMENT_FILE));
const bytes = await writeOpenApiDocument(file);
console.log(`OpenAPI document: ${file} (${bytes} bytes)`);
