/** CDK CLI entry (cdk.json "app": "tsx infra/app.ts"). */
import { buildApp } from './build-app.js';

buildApp().app.synth();
