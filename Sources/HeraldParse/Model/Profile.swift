/// How to find the fields of an article (and the article links of a listing) on a site.
///
/// `rfi` is exact on RFI's markup; `generic` works on any news site from JSON-LD, OpenGraph and text density;
/// a custom profile gives XPath expressions (from the config's `profiles`). Unset custom fields fall back to `generic`.
public struct Profile: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case rfi
        case generic
        case custom(CustomXPaths)
    }

    /// XPath expressions of a custom profile. Each is evaluated on the whole document; string results are used as is,
    /// node-set results by their text (attributes by their value).
    public struct CustomXPaths: Sendable, Equatable {
        public var title: String?
        public var published: String?
        public var modified: String?
        public var authors: String?
        public var lead: String?
        public var image: String?
        public var body: String?
        /// Node sets dropped from the body before cleaning.
        public var remove: [String]
        /// Article links on listing pages (default: every `a/@href`).
        public var links: String?

        public init(title: String? = nil, published: String? = nil, modified: String? = nil, authors: String? = nil,
                    lead: String? = nil, image: String? = nil, body: String? = nil, remove: [String] = [],
                    links: String? = nil) {
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

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    public static let rfi = Profile(name: "rfi", kind: .rfi)
    public static let generic = Profile(name: "generic", kind: .generic)
}
