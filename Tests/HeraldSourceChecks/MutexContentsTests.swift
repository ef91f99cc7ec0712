import Foundation
import SwiftParser
import SwiftSyntax
import XCTest

/// A closure kept in a `Mutex` is re-wrapped in reabstraction thunks on every `withLock` read, a chain that grows
/// without end and ends in a stack overflow (docs/architecture.md, "Concurrency"). Keep an object there instead.
///
/// The check reads Herald's sources as syntax trees, not as lines of text: it resolves the type inside every
/// `Mutex<…>` through typealiases, optionals, collections, tuples and the stored properties and associated values of
/// the project's own structs and enums, so a closure hidden behind a name is found too. Classes and actors end the
/// search: a reference to an object is what the rule recommends.
final class MutexContentsTests: XCTestCase {
    func testNoFunctionValueIsKeptInAMutexAnywhereInSources() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        XCTAssertGreaterThan(files.count, 50, "Herald's sources under \(root.path)")
        let checker = MutexContentsChecker(
            files: try files.map { ($0.path, try String(contentsOf: $0, encoding: .utf8)) })
        XCTAssertGreaterThan(
            checker.mutexCount, 5, "the sources keep state in Mutexes; none found means the check broke")
        XCTAssertEqual(checker.violations, [])
    }

    func testAClosureBehindATypealiasAStructOrAnOptionalIsFound() {
        let source = """
            import Synchronization
            typealias Handler = @Sendable (Int) -> Void
            struct State { var count = 0; var onChange: Handler? }
            enum Slot { case empty, filled(Handler) }
            final class Box { let handler: Handler = { _ in } }
            final class Holder {
                let direct = Mutex<@Sendable () -> Void>({})
                let aliased: Mutex<Handler>
                let nested: Mutex<State>
                let inEnum: Mutex<[String: Slot]>
                let fine: Mutex<(count: Int, names: [String])>
                let object: Mutex<Box>
            }
            """
        let checker = MutexContentsChecker(files: [("Holder.swift", source)])
        XCTAssertEqual(checker.mutexCount, 6)
        XCTAssertEqual(
            checker.violations.map(\.line), [7, 8, 9, 10], checker.violations.map(\.description).joined(separator: "\n")
        )
    }
}

/// Finds `Mutex<T>` whose `T` holds a function value (see `MutexContentsTests`).
struct MutexContentsChecker {
    struct Violation: Equatable, CustomStringConvertible {
        var file: String
        var line: Int
        var type: String
        var description: String { "\(file):\(line): a function value in Mutex<\(type)>" }
    }

    private(set) var violations: [Violation] = []
    private(set) var mutexCount = 0

    init(files: [(path: String, text: String)]) {
        let trees = files.map { (path: $0.path, tree: Parser.parse(source: $0.text)) }
        let declarations = DeclarationCollector(viewMode: .sourceAccurate)
        for file in trees { declarations.walk(file.tree) }
        for file in trees {
            let finder = MutexFinder(viewMode: .sourceAccurate)
            finder.walk(file.tree)
            let converter = SourceLocationConverter(fileName: file.path, tree: file.tree)
            for argument in finder.arguments {
                mutexCount += 1
                var visited: Set<String> = []
                if declarations.holdsFunction(argument, visited: &visited) {
                    violations.append(
                        Violation(
                            file: file.path, line: argument.startLocation(converter: converter).line,
                            type: argument.trimmedDescription))
                }
            }
        }
    }
}

/// The project's named types: typealiases, and the member types of structs and enums (classes and actors are not
/// recorded: they end the search).
private final class DeclarationCollector: SyntaxVisitor {
    var aliases: [String: TypeSyntax] = [:]
    var members: [String: [TypeSyntax]] = [:]
    var references: Set<String> = []

    override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind {
        aliases[node.name.text] = node.initializer.value
        return .visitChildren
    }

    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind {
        members[node.name.text, default: []] += storedPropertyTypes(node.memberBlock)
        return .visitChildren
    }

    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind {
        var types: [TypeSyntax] = []
        for member in node.memberBlock.members {
            guard let cases = member.decl.as(EnumCaseDeclSyntax.self) else { continue }
            for element in cases.elements {
                types += element.parameterClause?.parameters.map(\.type) ?? []
            }
        }
        members[node.name.text, default: []] += types
        return .visitChildren
    }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind {
        references.insert(node.name.text)
        return .visitChildren
    }

    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind {
        references.insert(node.name.text)
        return .visitChildren
    }

    /// The declared types of stored properties (no accessor block); a property without a type annotation whose
    /// initial value is a closure counts as a function.
    private func storedPropertyTypes(_ block: MemberBlockSyntax) -> [TypeSyntax] {
        var types: [TypeSyntax] = []
        for member in block.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self),
                !variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) })
            else { continue }
            for binding in variable.bindings where binding.accessorBlock == nil {
                if let type = binding.typeAnnotation?.type {
                    types.append(type)
                } else if binding.initializer?.value.is(ClosureExprSyntax.self) == true {
                    types.append(
                        TypeSyntax(
                            FunctionTypeSyntax(
                                parameters: [],
                                returnClause: ReturnClauseSyntax(
                                    type: TypeSyntax(IdentifierTypeSyntax(name: .identifier("Void")))))))
                }
            }
        }
        return types
    }

    /// Whether a value of `type` holds a function value somewhere inside it.
    func holdsFunction(_ type: TypeSyntax, visited: inout Set<String>) -> Bool {
        if type.is(FunctionTypeSyntax.self) { return true }
        if let attributed = type.as(AttributedTypeSyntax.self) {
            return holdsFunction(attributed.baseType, visited: &visited)
        }
        if let optional = type.as(OptionalTypeSyntax.self) {
            return holdsFunction(optional.wrappedType, visited: &visited)
        }
        if let unwrapped = type.as(ImplicitlyUnwrappedOptionalTypeSyntax.self) {
            return holdsFunction(unwrapped.wrappedType, visited: &visited)
        }
        if let array = type.as(ArrayTypeSyntax.self) { return holdsFunction(array.element, visited: &visited) }
        if let dictionary = type.as(DictionaryTypeSyntax.self) {
            return holdsFunction(dictionary.key, visited: &visited)
                || holdsFunction(dictionary.value, visited: &visited)
        }
        if let tuple = type.as(TupleTypeSyntax.self) {
            return tuple.elements.contains { holdsFunction($0.type, visited: &visited) }
        }
        if let member = type.as(MemberTypeSyntax.self) {
            return holdsFunction(
                named: member.name.text, genericArguments: member.genericArgumentClause, visited: &visited)
        }
        if let identifier = type.as(IdentifierTypeSyntax.self) {
            return holdsFunction(
                named: identifier.name.text, genericArguments: identifier.genericArgumentClause,
                visited: &visited)
        }
        return false
    }

    private func holdsFunction(
        named name: String, genericArguments: GenericArgumentClauseSyntax?,
        visited: inout Set<String>
    ) -> Bool {
        for argument in genericArguments?.arguments ?? [] {
            if case let .type(type) = argument.argument, holdsFunction(type, visited: &visited) { return true }
        }
        guard !references.contains(name), visited.insert(name).inserted else { return false }
        if let alias = aliases[name] { return holdsFunction(alias, visited: &visited) }
        return (members[name] ?? []).contains { holdsFunction($0, visited: &visited) }
    }
}

/// The type argument of every `Mutex<…>`, in a type position or an expression (`Mutex<T>(…)`).
private final class MutexFinder: SyntaxVisitor {
    var arguments: [TypeSyntax] = []

    override func visit(_ node: IdentifierTypeSyntax) -> SyntaxVisitorContinueKind {
        if node.name.text == "Mutex", let clause = node.genericArgumentClause { record(clause) }
        return .visitChildren
    }

    override func visit(_ node: GenericSpecializationExprSyntax) -> SyntaxVisitorContinueKind {
        if node.expression.trimmedDescription == "Mutex" { record(node.genericArgumentClause) }
        return .visitChildren
    }

    private func record(_ clause: GenericArgumentClauseSyntax) {
        for argument in clause.arguments {
            if case let .type(type) = argument.argument { arguments.append(type) }
        }
    }
}
