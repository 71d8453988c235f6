declare module "ms" {
  function ms(value: string): number;
  export default ms;
}
