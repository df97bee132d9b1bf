// The compare page is built in a later change; this entry keeps the bundle list stable.
export {};
