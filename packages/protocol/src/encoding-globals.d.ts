// The WHATWG Encoding API exists in every runtime protocol targets (browsers, Node, workers),
// but it is declared by the DOM and Node type packages, which this package must not load.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
// The WHATWG URL parser, likewise present everywhere; only what protocol reads of it.
declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly username: string;
  readonly password: string;
  readonly hash: string;
  readonly pathname: string;
}
