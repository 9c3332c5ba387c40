// autocannon ships no types; the soak bench reads a few fields of its result.
declare module 'autocannon';
