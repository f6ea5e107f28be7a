/** Image files for tests (built byte by byte: no image library). */

/** A tiny JPEG-shaped file: EXIF (with a GPS tag), a frame header 640×480, a scan. */
export function jpegWithExif(): Buffer {
  const segment = (marker: number, payload: Buffer) => {
    const head = Buffer.alloc(4);
    head[0] = 0xff;
    head[1] = marker;
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  const exif = Buffer.concat([
    Buffer.from("Exif\0\0", "latin1"),
    Buffer.from("GPSLatitude 32.81 GPSLongitude 35.11 Serial=PHONE123"),
  ]);
  const jfif = Buffer.from("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", "latin1");
  const sof = Buffer.from([8, 0x01, 0xe0, 0x02, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, jfif),
    segment(0xe1, exif),
    segment(0xfe, Buffer.from("comment with a name")),
    segment(0xc0, sof),
    segment(0xda, sos),
    Buffer.from([0x12, 0x34, 0x56, 0x78, 0xff, 0x00, 0x9a]),
    Buffer.from([0xff, 0xd9]),
  ]);
}
