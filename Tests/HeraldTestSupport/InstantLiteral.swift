import HeraldTime

/// Tests write instants as the stored text (`"2023-10-28T09:52:00Z"`), so an expected row reads like the database.
/// Test code only: a literal that is not the stored form stops the test at once, naming it.
extension Instant: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        guard let instant = Instant(text: text) else {
            preconditionFailure("not an instant in the stored form: \(text)")
        }
        self = instant
    }
}
