// The date a Code was asked "as of". Root fields remember it on the objects they return so that
// fields such as `status` answer for that date, not for today.
const asOfByObject = new WeakMap<object, Date>();

export function rememberAsOf<T extends object>(objects: T[], asOf: Date | undefined): T[] {
  if (asOf) for (const object of objects) asOfByObject.set(object, asOf);
  return objects;
}

/** The date `object` was asked as of, if one was given. */
export function rememberedAsOf(object: object): Date | undefined {
  return asOfByObject.get(object);
}

export function asOfFor(object: object): Date {
  return asOfByObject.get(object) ?? today();
}

export function today(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
