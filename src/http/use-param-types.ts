// A request whose operationName is not a string is a bad request, whatever it accepts.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';

/**
 * A non-string operationName is a bad request (400) whatever the Accept header; Yoga answers 200
 * for application/json (graphql-http audit 6C00).
 */
export function useParamTypes(): Plugin {
  return {
    onParams({ params, setResult }) {
      const name: unknown = params.operationName;
      if (name !== undefined && name !== null && typeof name !== 'string') {
        setResult({
          errors: [
            new GraphQLError('Invalid "operationName": expected a string.', {
              extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
            }),
          ],
        });
      }
    },
  };
}
