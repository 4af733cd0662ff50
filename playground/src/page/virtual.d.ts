// The modules playground/build/plugins.ts writes at build time.
declare module "cnnc:examples" {
  const examples: { name: string; source: string }[];
  export default examples;
}
declare module "cnnc:vocabulary" {
  const vocabulary: { ops: string[]; losses: string[]; optimizers: string[] };
  export default vocabulary;
}
