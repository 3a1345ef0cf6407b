// Node resolve hook for the benchmarks: the app's relative imports have no
// extension (Vite resolves them); here they resolve to their .ts file, so
// bench code runs the app's own modules under plain Node (types stripped).
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!/^\.{1,2}\//.test(specifier) || !["ERR_MODULE_NOT_FOUND", "ERR_UNSUPPORTED_DIR_IMPORT"].includes(error?.code)) throw error;
    for (const suffix of [".ts", ".tsx", "/index.ts"]) {
      try {
        return await next(specifier + suffix, context);
      } catch {
        // try the next one
      }
    }
    throw error;
  }
}
