// The limits of the memory a module imports, read from its import section: the bench's
// rig (`corerun --memory MIN:MAX`) must hand the WASM WASI Core a memory the module links
// with, as rw works out for itself.

/** { initial, maximum } in pages of the module's imported memory, or undefined if it imports none. */
export function importedMemory(bytes) {
  let at = 8; // magic and version
  const byte = () => bytes[at++];
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = byte();
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  const skipName = () => { const length = leb(); at += length; };
  const limits = () => {
    const flags = byte();
    const initial = leb();
    return { initial, maximum: flags & 1 ? leb() : undefined };
  };
  while (at < bytes.length) {
    const id = byte();
    const size = leb();
    const end = at + size;
    if (id !== 2) { at = end; continue; }
    for (let count = leb(); count > 0; count--) {
      skipName();
      skipName();
      switch (byte()) {
        case 0: leb(); break; // function: its type
        case 1: byte(); limits(); break; // table: element type, limits
        case 2: return limits();
        case 3: byte(); byte(); break; // global: value type, mutability
        case 4: byte(); leb(); break; // tag: attribute, type
        default: return undefined;
      }
    }
    return undefined;
  }
  return undefined;
}
