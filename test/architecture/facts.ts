import ts from 'typescript'

/** How a file names another module. Every form counts: a rule that reads only `from '…'` misses the rest. */
export type ImportKind = 'import' | 'side-effect' | 'export' | 'dynamic' | 'require' | 'type-query'

export interface ImportRef {
  specifier: string
  kind: ImportKind
  /** `import type …`, `export type … from`, every named binding `type`-marked, or `import('x').T`. */
  typeOnly: boolean
  line: number
}

/** Things a file does that some rules forbid, found in the syntax tree rather than by regex. */
export type UseKind = 'process.env' | 'process.argv' | 'Date.now' | 'global-timer' | 'repos'

export interface Use {
  kind: UseKind
  text: string
  line: number
}

export interface FileFacts {
  imports: ImportRef[]
  uses: Use[]
}

const TIMERS = new Set(['setTimeout', 'setInterval'])
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window'])

/** The TypeScript inside a `.vue` file: its `<script>` blocks, lines kept in place. */
export function scriptOf(path: string, source: string): string {
  if (!path.endsWith('.vue')) return source
  const lines = source.split('\n').map(() => '')
  for (const m of source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    const start = source.slice(0, m.index! + m[0].indexOf('>') + 1).split('\n').length - 1
    m[1]!.split('\n').forEach((l, i) => {
      lines[start + i] = l
    })
  }
  return lines.join('\n')
}

/** Reads a file's imports and forbidden uses with the TypeScript compiler (no type checking). */
export function factsOf(path: string, source: string): FileFacts {
  const sf = ts.createSourceFile(path, scriptOf(path, source), ts.ScriptTarget.Latest, true)
  const imports: ImportRef[] = []
  const uses: Use[] = []
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1
  const text = (n: ts.Node) => n.getText(sf)
  // A file that declares its own `setTimeout` (say `const { setTimeout } = clock`) uses that one.
  const localTimers = new Set<string>()

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const named = clause?.namedBindings
      const allTyped =
        !!named &&
        ts.isNamedImports(named) &&
        !clause?.name &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly)
      imports.push({
        specifier: node.moduleSpecifier.text,
        kind: clause ? 'import' : 'side-effect',
        typeOnly: !!clause && (clause.isTypeOnly || allTyped),
        line: lineOf(node),
      })
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const named = node.exportClause
      const allTyped =
        !!named &&
        ts.isNamedExports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly)
      imports.push({
        specifier: node.moduleSpecifier.text,
        kind: 'export',
        typeOnly: node.isTypeOnly || allTyped,
        line: lineOf(node),
      })
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      imports.push({
        specifier: node.moduleReference.expression.text,
        kind: 'require',
        typeOnly: node.isTypeOnly,
        line: lineOf(node),
      })
    } else if (ts.isCallExpression(node)) {
      const [arg] = node.arguments
      const literal = arg && ts.isStringLiteralLike(arg) ? arg.text : null
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword && literal !== null) {
        imports.push({ specifier: literal, kind: 'dynamic', typeOnly: false, line: lineOf(node) })
      } else if (
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'require' &&
        literal !== null
      ) {
        imports.push({ specifier: literal, kind: 'require', typeOnly: false, line: lineOf(node) })
      } else if (text(node.expression) === 'Date.now') {
        uses.push({ kind: 'Date.now', text: 'Date.now()', line: lineOf(node) })
      }
    } else if (ts.isImportTypeNode(node)) {
      const lit = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : null
      if (lit && ts.isStringLiteral(lit)) {
        imports.push({
          specifier: lit.text,
          kind: 'type-query',
          typeOnly: true,
          line: lineOf(node),
        })
      }
    } else if (ts.isPropertyAccessExpression(node)) {
      const own = text(node.expression)
      const name = node.name.text
      if (own === 'process' && (name === 'env' || name === 'argv')) {
        uses.push({ kind: `process.${name}`, text: text(node), line: lineOf(node) })
      } else if (TIMERS.has(name) && GLOBAL_OBJECTS.has(own)) {
        uses.push({ kind: 'global-timer', text: text(node), line: lineOf(node) })
      } else if (name === 'repos') {
        uses.push({ kind: 'repos', text: text(node), line: lineOf(node) })
      }
    } else if (ts.isElementAccessExpression(node) || ts.isIndexedAccessTypeNode(node)) {
      const index = ts.isElementAccessExpression(node) ? node.argumentExpression : node.indexType
      const key = ts.isLiteralTypeNode(index) ? index.literal : index
      if (ts.isStringLiteralLike(key) && key.text === 'repos') {
        uses.push({ kind: 'repos', text: text(node), line: lineOf(node) })
      }
    } else if (ts.isBindingElement(node)) {
      const key = node.propertyName ?? node.name
      if (ts.isIdentifier(key) && key.text === 'repos') {
        uses.push({ kind: 'repos', text: text(node), line: lineOf(node) })
      }
      if (ts.isIdentifier(node.name) && TIMERS.has(node.name.text)) localTimers.add(node.name.text)
    } else if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name) &&
      TIMERS.has(node.name.text)
    ) {
      localTimers.add(node.name.text)
    } else if (ts.isIdentifier(node) && TIMERS.has(node.text) && isGlobalReference(node)) {
      uses.push({ kind: 'global-timer', text: node.text, line: lineOf(node) })
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  for (const i of imports) {
    if (/^(node:)?timers(\/promises)?$/.test(i.specifier) && !i.typeOnly) {
      uses.push({ kind: 'global-timer', text: `import '${i.specifier}'`, line: i.line })
    }
  }
  return {
    imports,
    uses: uses.filter((u) => u.kind !== 'global-timer' || !localTimers.has(u.text)),
  }
}

/** `setTimeout(…)` or `fn(setTimeout)`, not `clock.setTimeout` nor `{ setTimeout: … }`. */
function isGlobalReference(id: ts.Identifier): boolean {
  const p = id.parent
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false
  if (ts.isQualifiedName(p) && p.right === id) return false
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isBindingElement(p) ||
      ts.isImportSpecifier(p) ||
      ts.isExportSpecifier(p)) &&
    p.name === id
  ) {
    return false
  }
  if (ts.isBindingElement(p) && p.propertyName === id) return false
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p)) return false
  return true
}
