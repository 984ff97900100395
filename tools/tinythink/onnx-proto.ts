/**
 * A minimal reader for the parts of an ONNX file the model tests check (nodes' op types and
 * inputs, initializers' names and element types), straight from the protobuf wire format, so
 * the tests need neither Python nor a protobuf library.
 *
 * Field numbers from onnx.proto: ModelProto.graph = 7; GraphProto.node = 1, initializer = 5;
 * NodeProto.input = 1, output = 2, op_type = 4; TensorProto.data_type = 2, name = 8.
 */

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxInitializer {
  name: string;
  /** TensorProto.DataType: 1 = FLOAT, 3 = INT8, 7 = INT64. */
  dataType: number;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
}

export const ONNX_FLOAT = 1;
export const ONNX_INT8 = 3;

interface Field {
  number: number;
  wireType: number;
  /** Varint value (wire type 0). */
  varint?: bigint;
  /** Length-delimited payload (wire type 2). */
  bytes?: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) {
      const [value, after] = readVarint(buf, pos);
      pos = after;
      yield { number, wireType, varint: value };
    } else if (wireType === 2) {
      const [length, after] = readVarint(buf, pos);
      const end = after + Number(length);
      if (end > buf.length) throw new Error('truncated field');
      yield { number, wireType, bytes: buf.subarray(after, end) };
      pos = end;
    } else if (wireType === 1) {
      pos += 8;
    } else if (wireType === 5) {
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder();

function readNode(buf: Uint8Array): OnnxNode {
  const node: OnnxNode = { opType: '', inputs: [], outputs: [] };
  for (const f of fields(buf)) {
    if (!f.bytes) continue;
    if (f.number === 1) node.inputs.push(utf8.decode(f.bytes));
    else if (f.number === 2) node.outputs.push(utf8.decode(f.bytes));
    else if (f.number === 4) node.opType = utf8.decode(f.bytes);
  }
  return node;
}

function readInitializer(buf: Uint8Array): OnnxInitializer {
  const init: OnnxInitializer = { name: '', dataType: 0 };
  for (const f of fields(buf)) {
    if (f.number === 2 && f.varint !== undefined) init.dataType = Number(f.varint);
    else if (f.number === 8 && f.bytes) init.name = utf8.decode(f.bytes);
  }
  return init;
}

export function readOnnxGraph(model: Uint8Array): OnnxGraph {
  const graph: OnnxGraph = { nodes: [], initializers: [] };
  for (const f of fields(model)) {
    if (f.number !== 7 || !f.bytes) continue;
    for (const g of fields(f.bytes)) {
      if (g.number === 1 && g.bytes) graph.nodes.push(readNode(g.bytes));
      else if (g.number === 5 && g.bytes) graph.initializers.push(readInitializer(g.bytes));
    }
  }
  return graph;
}
