// What codes look like, written once for the GraphQL arguments, the steward's input, the command
// line, the page addresses and the file parsers.

/** A HCPCS Level II code: a letter and four digits, e.g. A9597. */
export const HCPCS_CODE = /^[A-Z][0-9]{4}$/;

/** The start of a HCPCS Level II code (a code range's bound, a prefix): a letter and up to four digits. */
export const HCPCS_CODE_START = /^[A-Z][0-9]{0,4}$/;

/** A NUCC provider taxonomy code: ten characters, the last an X, e.g. 2085R0202X. */
export const TAXONOMY_CODE = /^[0-9A-Z]{9}X$/;

/** A HCPCS or CPT modifier: two letters or digits, e.g. TC, 26. */
export const MODIFIER_CODE = /^[A-Z0-9]{2}$/;

/** A CMS place-of-service code: two digits, e.g. 22. */
export const PLACE_OF_SERVICE_CODE = /^[0-9]{2}$/;

/** How HCPCS codes are written, for messages that refuse another one. */
export const HCPCS_CODE_EXAMPLE = 'a letter and four digits, e.g. A9597';
