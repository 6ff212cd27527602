/**
 * A module imported on first use rather than at start, for what a server that has served no
 * such request yet need not hold in memory (docs/performance.md, "Idle memory"). Every caller
 * shares one import; a failed import is tried again by the next caller.
 *
 * @example
 * const otplib = lazyImport(() => import("otplib"));
 * const { verify } = await otplib();
 */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
