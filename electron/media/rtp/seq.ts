/** 16-bit sequence-number helpers. */
export const seqAdd = (a: number, b: number): number => (a + b) & 0xffff;
export const seqDiff = (a: number, b: number): number => {
  // signed a - b in 16-bit space
  const d = (a - b) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
};
