/// URLs being fetched right now by any pass in the process. Two sources often list the same article (the homepage
/// and its section); when their passes overlap, the second one leaves the fetch to the first instead of asking the
/// site twice. (The store's UNIQUE constraint already makes a double fetch harmless; this makes it not happen.)
actor InFlightURLs {
    private var urls: Set<String> = []

    /// True when the caller now owns `url` and must `release` it.
    func claim(_ url: String) -> Bool {
        urls.insert(url).inserted
    }

    func release(_ url: String) {
        urls.remove(url)
    }
}
