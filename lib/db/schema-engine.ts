// Creates Prisma's WebAssembly schema engine (the offline stand-in for the native engine that
// `prisma migrate` would download). Node 20 cannot `import` a .wasm file without a flag, so we
// load the wasm-bindgen glue (schema_engine_bg.js) and instantiate the bytes ourselves.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

export type { SchemaEngine };

// One wasm instance per process: instantiating costs ~100 ms and engines can share it.
let ready: Promise<typeof bg> | undefined;

function loadWasm(): Promise<typeof bg> {
  ready ??= (async () => {
    // Resolve the .wasm next to the glue file the package exports, wherever npm put it.
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
    // The engine arms a 10 s timer (its migration-lock timeout) on every applyMigrations and never
    // clears it, which kept short scripts alive for 10 s after finishing. An unref'd timer still
    // fires while work is pending but no longer holds the process open.
    const imports: Record<string, unknown> = { ...bg };
    for (const key of Object.keys(imports)) {
      if (key.startsWith("__wbg_setTimeout_")) {
        imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
      }
    }
    // The import namespace key must match what the wasm module was linked against.
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports as WebAssembly.ModuleImports });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return ready;
}

/** Creates an engine for `schema` (path + text) talking to the database behind `adapterFactory`. */
export async function createSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  log: (msg: string) => void = () => {},
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadWasm();
  // The engine expects adapters whose methods return Result objects instead of throwing.
  const adapter = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  return SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, log, adapter);
}
