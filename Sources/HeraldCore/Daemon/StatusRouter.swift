import Foundation
import HeraldStatus

/// Maps status-socket requests to daemon actions. The JSON shapes are a promise to scripts (docs/socket.md): fields
/// are added, never renamed.
struct StatusRouter: Sendable {
    let daemon: DaemonState
    /// The TCP metrics listener (`metricsListen`) answers only `/metrics` and `/healthz`: it may be reachable by
    /// more than the socket's group, so nothing there triggers or reloads, or shows config paths and errors.
    var metricsOnly = false

    func handle(_ request: StatusRequest) async -> UnixHTTPServer.Response {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if metricsOnly, parts.count != 1 || (parts[0] != "metrics" && parts[0] != "healthz") {
            return notFound("this listener serves only GET /metrics and GET /healthz")
        }
        switch (request.method, parts.count, parts.first) {
        case ("GET", 1, "status"), ("HEAD", 1, "status"):
            return .init(status: 200, json: await daemon.statusJSON())
        case ("GET", 1, "healthz"), ("HEAD", 1, "healthz"):
            let health = daemon.health()
            return .init(status: health.healthy ? 200 : 503, json: health.json)
        case ("GET", 1, "metrics"):
            return .init(
                status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: Array(await daemon.metricsText().utf8))
        case ("GET", 2, "sources"):
            guard let json = daemon.sourceJSON(parts[1]) else { return notFound("no source named \"\(parts[1])\"") }
            return .init(status: 200, json: json)
        case ("POST", 3, "sources") where parts[2] == "crawl":
            switch await daemon.trigger(parts[1]) {
            case .started: return .init(status: 202, json: TriggerAnswer(source: parts[1]).json)
            case .alreadyRunning: return error(409, "source \"\(parts[1])\" is already running")
            case .unknownSource: return notFound("no source named \"\(parts[1])\"")
            case .stopping: return error(503, "the daemon is stopping")
            }
        case ("POST", 1, "reload"):
            let outcome = await daemon.reload(trigger: "socket")
            return .init(status: outcome.succeeded ? 200 : 422, json: outcome.json)
        case (_, 1, "status"), (_, 1, "healthz"), (_, 1, "metrics"), (_, 2, "sources"):
            return methodNotAllowed(request, allow: parts.first == "metrics" ? "GET" : "GET, HEAD")
        case (_, 3, "sources"), (_, 1, "reload"):
            return methodNotAllowed(request, allow: "POST")
        default:
            return notFound(
                "unknown path \(request.path); try GET /status, GET /healthz, GET /sources/NAME, "
                    + "GET /metrics, POST /sources/NAME/crawl, POST /reload")
        }
    }

    /// 405 with the `Allow` header RFC 9110 requires.
    private func methodNotAllowed(_ request: StatusRequest, allow: String) -> UnixHTTPServer.Response {
        var response = error(405, "\(request.method) is not allowed on \(request.path) (allowed: \(allow))")
        response.headers = [("Allow", allow)]
        return response
    }

    private func notFound(_ message: String) -> UnixHTTPServer.Response { error(404, message) }

    private func error(_ status: Int, _ message: String) -> UnixHTTPServer.Response {
        .init(status: status, json: ErrorAnswer(message).json)
    }
}
