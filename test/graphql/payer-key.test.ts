// How arguments name a payer: by global ID or by slug. Base64 without padding is letters and digits,
// so an ID can look like a slug (Payer:123 is UGF5ZXI6MTIz): it must still be read as the ID.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { payerKey } from '../../src/graphql/types/payer.js';

describe('payerKey', () => {
  it('reads a Payer ID as its row id, including IDs whose base64 looks like a slug', () => {
    expect(encodeGlobalID('Payer', 123)).toBe('UGF5ZXI6MTIz');
    expect(payerKey('UGF5ZXI6MTIz')).toEqual({ id: 123 });
    expect(payerKey(encodeGlobalID('Payer', 999))).toEqual({ id: 999 });
    expect(payerKey(encodeGlobalID('Payer', 1))).toEqual({ id: 1 });
  });

  it('reads anything else slug-shaped as a slug, lower-cased', () => {
    expect(payerKey('aetna')).toEqual({ slug: 'aetna' });
    expect(payerKey(' BCBS ')).toEqual({ slug: 'bcbs' });
  });

  it('refuses the ID of another type, naming the argument', () => {
    expect(() => payerKey(encodeGlobalID('Modifier', 5), 'payers')).toThrow(
      'Argument "payers" must be the ID of a Payer',
    );
  });
});
