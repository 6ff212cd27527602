import { ErrorCode } from "../core/errors.js";

/**
 * Graceful shutdown: counts in-flight requests so `close()` can wait for them instead of
 * cutting them off, and turns new ones away meanwhile.
 */
export class GracefulShutdown {
  private inFlight = 0;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async track(handle: () => Response | Promise<Response>): Promise<Response> {
    if (this.closing) {
      return Response.json(
        {
          error: {
            code: ErrorCode.STORE_UNAVAILABLE,
            message: "The service is shutting down; try again.",
          },
        },
        { status: 503, headers: { "Retry-After": "1", Connection: "close" } },
      );
    }
    this.inFlight += 1;
    try {
      return await handle();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Stops taking requests, waits for those in flight, then runs `release` (once). */
  close(release: () => Promise<void>): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await release();
    })();
    return this.closing;
  }
}
