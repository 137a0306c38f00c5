/** Options of the data-type validators that have a tolerant mode. */
export interface LenientOptions {
  /**
   * Accept the departures from the specification that real content commonly sends; without it
   * the validators follow the specification and the ADL conformance suite.
   */
  lenient?: boolean;
}
