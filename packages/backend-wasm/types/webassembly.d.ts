// The WebAssembly JavaScript API, as far as this package uses it. The project compiles against
// ES2022 without the DOM library, which is where TypeScript keeps these types.

declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }

  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: string;
  }

  class Module {
    constructor(bytes: BufferSource);
    static imports(module: Module): ModuleImportDescriptor[];
    static exports(module: Module): Array<{ name: string; kind: string }>;
  }

  type Imports = Record<string, Record<string, unknown>>;

  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }

  function validate(bytes: BufferSource): boolean;
  function compile(bytes: BufferSource): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;

  class CompileError extends Error {}
  class RuntimeError extends Error {}
}

type BufferSource = ArrayBufferView | ArrayBuffer;
