import HeraldTime

package enum StoreError: Error, Sendable, CustomStringConvertible {
    case schemaTooNew(found: Int, supported: Int)

    package var description: String {
        switch self {
        case let .schemaTooNew(found, supported):
            "the database has schema version \(found) but this herald knows versions up to \(supported): "
                + "upgrade herald instead of using this database with an older one"
        }
    }
}
