import { parseRecordId } from '../core/ids/record-id';

/** A route's numeric id param: digits only, else null (the route answers 404). The one id parser is parseRecordId. */
export function idParam(raw: string | undefined): number | null {
  return parseRecordId(raw);
}
