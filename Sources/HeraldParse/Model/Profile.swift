/// How to find the fields of an article (and the article links of a listing) on a site.
///
/// `rfi` is exact on RFI's markup; `generic` works on any news site from JSON-LD, OpenGraph and text density;
/// a custom profile gives XPath expressions (from the config's `profiles`). Unset custom fields fall back to `generic`.
package struct Profile: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case rfi
        case generic
        case custom(CustomXPaths)
    }

    /// XPath expressions of a custom profile. Each is evaluated on the whole document; string results are used as is,
    /// node-set results by their text (attributes by their value).
    package struct CustomXPaths: Sendable, Equatable {
        package var title: String?
        package var published: String?
        package var modified: String?
        package var authors: String?
        package var lead: String?
        package var image: String?
        package var body: String?
        /// Node sets dropped from the body before cleaning.
        package var remove: [String]
        /// Article links on listing pages (default: every `a/@href`).
        package var links: String?

        package init(
            title: String? = nil, published: String? = nil, modified: String? = nil, authors: String? = nil,
            lead: String? = nil, image: String? = nil, body: String? = nil, remove: [String] = [],
            links: String? = nil
        ) {
            self.title = title
            self.published = published
            self.modified = modified
            self.authors = authors
            self.lead = lead
            self.image = image
            self.body = body
            self.remove = remove
            self.links = links
        }
    }

    package var name: String
    package var kind: Kind

    package init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    package static let rfi = Profile(name: "rfi", kind: .rfi)
    package static let generic = Profile(name: "generic", kind: .generic)
}
