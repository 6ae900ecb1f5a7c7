/**
 * CRC-32 (the polynomial of zip, PNG and Ethernet), one table lookup per byte. It catches every
 * burst of flipped bits up to 32 long, which is what a damaged or half-written file looks like.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 of `bytes` as 8 lowercase hex digits: crc32(bytes of "123456789") = 'cbf43926'. A list of
 * shards gives the CRC-32 of their concatenation, without concatenating them (the running value
 * just continues from one shard into the next).
 */
export function crc32(bytes: Uint8Array | readonly Uint8Array[]): string {
  let crc = 0xffffffff;
  for (const shard of bytes instanceof Uint8Array ? [bytes] : bytes) {
    for (let i = 0; i < shard.length; i++) crc = CRC_TABLE[(crc ^ shard[i]!) & 0xff]! ^ (crc >>> 8);
  }
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
