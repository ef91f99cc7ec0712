import Foundation

extension FixtureServer {
    /// Serves a folder the way `python3 -m http.server` does, minus directory listings (a folder without
    /// `index.html` is 404 here).
    struct StaticFiles: Sendable {
        let root: URL
        let etags: Bool
        /// "" for path-only Locations (python's form), or the origin for absolute ones.
        let redirectBase: String

        func response(for request: Request) -> Response {
            guard let components = Self.decodedComponents(request.path) else { return .notFound }
            var fileURL = root
            for component in components { fileURL.appendPathComponent(component) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: fileURL.path, isDirectory: &isDirectory) else {
                return .notFound
            }
            if isDirectory.boolValue {
                guard request.path.hasSuffix("/") else {
                    // Same target with the slash added, query kept, encoding untouched (as python does).
                    let location = redirectBase + request.path + "/" + (request.query.map { "?\($0)" } ?? "")
                    return .redirect(to: location, status: 301)
                }
                fileURL.appendPathComponent("index.html")
                guard FileManager.default.fileExists(atPath: fileURL.path) else { return .notFound }
            }
            return file(fileURL, request: request)
        }

        private func file(_ url: URL, request: Request) -> Response {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                let modified = attributes[.modificationDate] as? Date,
                let body = try? Data(contentsOf: url)
            else { return .notFound }
            // HTTP dates have whole seconds: compare at that precision, like python's server.
            let seconds = modified.timeIntervalSince1970.rounded(.down)
            let lastModified = Connection.httpDate(Date(timeIntervalSince1970: seconds))
            let etag = "\"\(body.count)-\(Int(modified.timeIntervalSince1970 * 1_000_000))\""

            var headers: [(name: String, value: String)] = [
                ("Content-Type", Self.contentType(url.pathExtension)),
                ("Last-Modified", lastModified),
            ]
            if etags { headers.append(("ETag", etag)) }

            if etags, let tags = request.header("if-none-match") {
                let matches = tags.split(separator: ",").contains {
                    let tag = $0.trimmingCharacters(in: .whitespaces)
                    return tag == "*" || tag == etag || tag == "W/" + etag
                }
                if matches { return Response(status: 304, headers: headers) }
            } else if request.header("if-none-match") == nil, let since = request.header("if-modified-since"),
                let sinceDate = Self.parseHTTPDate(since), seconds <= sinceDate.timeIntervalSince1970
            {
                return Response(status: 304, headers: headers)
            }
            return Response(status: 200, headers: headers, body: [UInt8](body))
        }

        /// Path segments percent-decoded as UTF-8; nil for undecodable paths and any `..` (no escaping the root).
        static func decodedComponents(_ path: String) -> [String]? {
            guard let decoded = path.removingPercentEncoding else { return nil }
            var components: [String] = []
            for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
                if segment == "." { continue }
                if segment == ".." || segment.contains("\0") { return nil }
                components.append(String(segment))
            }
            return components
        }

        static func contentType(_ pathExtension: String) -> String {
            switch pathExtension.lowercased() {
            case "html", "htm": "text/html"
            case "xml": "application/xml"
            case "txt", "md": "text/plain"
            case "json": "application/json"
            case "css": "text/css"
            case "js": "text/javascript"
            case "png": "image/png"
            case "jpg", "jpeg": "image/jpeg"
            case "webp": "image/webp"
            case "svg": "image/svg+xml"
            case "mp3": "audio/mpeg"
            default: "application/octet-stream"
            }
        }

        static func parseHTTPDate(_ value: String) -> Date? {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            return formatter.date(from: value)
        }
    }
}
