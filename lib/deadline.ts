/**
 * `p`, or the error `late()` makes once `ms` pass: the one deadline race that the store's
 * statements and the outgoing HTTP calls share. The timer never keeps the process alive.
 */
export function raceDeadline<T>(p: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
    timer.unref();
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
