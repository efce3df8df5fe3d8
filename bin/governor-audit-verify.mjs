#!/usr/bin/env node
// governor-audit-verify <bundle.tar.gz>: the offline audit bundle verifier as an installed command.
// Registers tsx with this package's tsconfig (for the @/ paths) wherever it is run from, then
// runs the TypeScript CLI beside it.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import(new URL("../scripts/audit-verify.ts", import.meta.url).href);
