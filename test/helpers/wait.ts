/**
 * Waits until `condition` holds, checking every 10 ms, `tries` times at most (~15 s by
 * default): a test waits on what it needs to see, never on a fixed time, and so holds on a busy
 * machine.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { tries: limit = 1_500 }: { tries?: number } = {},
): Promise<void> {
  for (let tries = 0; !(await condition()); tries += 1) {
    if (tries > limit) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
