import Foundation

/// Validates XPath expressions from the config before they are ever evaluated (`herald check-config`).
package enum XPathCheck {
    /// nil when `expression` compiles; otherwise what to tell the operator.
    package static func problem(in expression: String) -> String? {
        if expression.trimmingCharacters(in: .whitespaces).isEmpty { return "empty expression" }
        return XPath.compiles(expression)
            ? nil
            : "libxml2 cannot compile it (check brackets, quotes, function and axis names)"
    }
}
