import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import LessonLensCore
import LessonLensOutput
import LessonLensStatistics
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A teaching-research group's shared archive over HTTP: observers' phones
/// post lessons, the group reads the reports. Listens on loopback unless
/// given a token; with a token, every request but `/api/health` needs it.
public struct LessonLensServer: Sendable {
    public struct Settings: Sendable {
        public var archive: String
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// The token every request must carry (from `--token-file`), or nil.
        public var token: String?
        public var policy: Policy = .default
        public var maxBodyBytes: Int = 8 << 20
        /// Idle connections are closed after this many seconds (slow or stalled clients).
        public var idleTimeoutSeconds: Int64 = 30
        /// The homework ledger (homework-log-v1) for `/homework`, `/board/CLASS`
        /// and `POST /api/homework`, or nil.
        public var homework: String?
        /// `/board/CLASS` readable without the token.
        public var publicBoard = false
        /// Class rosters (`--rosters`) for `/capture` and `GET /api/rosters`.
        public var rosters: RosterCSV?
        /// Served over https (the session cookie is then `Secure`).
        public var tls: Bool { tlsFiles != nil }
        /// `--tls-cert` and `--tls-key`: PEM files of the certificate (chain) and its key.
        public var tlsFiles: (certificate: String, key: String)?
        /// The page cache's bound (`--cache-mb`).
        public var cacheMegabytes = 64

        public init(archive: String) { self.archive = archive }
    }

    /// Why the server will not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let settings: Settings
    public let store: ArchiveStore
    /// Logged-in browsers (the login form's cookie).
    let sessions = Sessions()
    let loginAttempts = LoginAttempts()
    /// The homework ledger's store (`--homework`), or nil.
    public let homeworkStore: ArchiveStore?

    /// Checks the settings and opens (locks) the archive.
    public init(_ settings: Settings) throws {
        if !Self.isLoopback(settings.host) && settings.token == nil {
            throw StartError(description: "listening on \(settings.host) needs --token-file: without a token, serve listens on 127.0.0.1 only")
        }
        if let token = settings.token, token.utf8.count < 16 {
            throw StartError(description: "the token must be at least 16 characters (it is \(token.utf8.count))")
        }
        self.settings = settings
        do {
            store = try ArchiveStore(path: settings.archive, policy: settings.policy)
            homeworkStore = try settings.homework.map { try ArchiveStore(path: $0, policy: settings.policy, kind: .homework) }
        } catch {
            throw StartError(description: "\(error)")
        }
    }

    /// Whether every address `host` names is a loopback address: a name is
    /// resolved (`127.lan` may point anywhere), never judged by its prefix.
    static func isLoopback(_ host: String) -> Bool {
        if isLoopbackLiteral(host) { return true }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        var any = false
        while let n = node {
            any = true
            guard let address = n.pointee.ai_addr else { return false }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                guard ip >> 24 == 127 else { return false }
            case AF_INET6:
                let loop = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { a -> Bool in
                    withUnsafeBytes(of: a.pointee.sin6_addr) { b in b.prefix(15).allSatisfy { $0 == 0 } && b[15] == 1 }
                }
                guard loop else { return false }
            default:
                return false
            }
            node = n.pointee.ai_next
        }
        return any
    }

    /// A loopback address written out (127.x.y.z, ::1) or `localhost`:
    /// what a `Host` header may say to a server without a token.
    static func isLoopbackLiteral(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && UInt8(p) != nil }
    }

    /// Every route behind the doors (request log, JSON errors, the loopback
    /// and origin checks, the token): what `run` serves, and what the Swift
    /// tests drive through HummingbirdTesting.
    func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestLog())
        router.add(middleware: ErrorBody())
        router.add(middleware: Doors(tokenless: settings.token == nil))
        if let token = settings.token {
            router.add(middleware: TokenCheck(token: token, sessions: sessions, publicBoard: settings.publicBoard))
        }
        addRoutes(router)
        return router
    }

    /// Runs until the process is stopped. `onRunning` gets the bound port
    /// (useful with port 0).
    public func run(onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        // Two malloc arenas, not eight per core: page builds and body checks
        // run on many short-lived threads, and each arena keeps what it freed.
        _ = mallocOption(-8 /* M_ARENA_MAX */, 2)
        let router = makeRouter()
        var logger = Logger(label: "lessonlens.serve")
        logger.logLevel = .critical
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(settings.idleTimeoutSeconds)))
        var server = http
        if let files = settings.tlsFiles {
            // Hummingbird's TLS (NIOSSL): the certificate chain and key from PEM files.
            let chain: [NIOSSLCertificateSource], key: NIOSSLPrivateKey
            do { chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { NIOSSLCertificateSource.certificate($0) } } catch {
                throw StartError(description: "--tls-cert \(files.certificate): not a PEM certificate (\(error))")
            }
            do { key = try NIOSSLPrivateKey(file: files.key, format: .pem) } catch {
                throw StartError(description: "--tls-key \(files.key): not a PEM private key (\(error))")
            }
            server = try .tls(http, tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        }
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "lessonlens"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService()
    }

    // MARK: Routes

    func addRoutes(_ router: Router<ServerContext>) {
        let store = self.store, settings = self.settings
        let pages = PageCache(limitBytes: settings.cacheMegabytes << 20)

        let homeworkStore = self.homeworkStore
        // Answered from the stores' published state, never waiting behind a
        // post, an fsync or a page being built.
        router.getAndHead("/api/health") { _, _ -> Response in
            let health = store.health, ledger = homeworkStore?.health
            for h in [health] + (ledger.map { [$0] } ?? []) {
                if let reason = h.unavailable {
                    return answer(.serviceUnavailable, HealthAnswer(status: "unavailable", reason: reason))
                }
            }
            return answer(.ok, HealthAnswer(status: "ok", lessons: health.lessons, assignments: ledger?.lessons))
        }

        router.post("/api/lessons") { request, _ -> Response in
            try await Self.post(request, to: store, settings: settings)
        }

        // The homework ledger: the same answers as for lessons, per line.
        router.post("/api/homework") { request, _ -> Response in
            guard let homeworkStore else { return Self.noLedger() }
            return try await Self.post(request, to: homeworkStore, settings: settings)
        }
        router.getAndHead("/homework") { request, _ -> Response in
            guard let homeworkStore else { return Self.noLedger() }
            let language = Self.language(request)
            let (book, _) = try await Self.readLedger(homeworkStore)
            let query = request.uri.queryParameters.get("lang") == "zh" ? "?lang=zh" : request.uri.queryParameters.get("lang") == "en" ? "?lang=en" : ""
            return html(.ok, HomeworkPages.report(book, load: settings.policy.homeworkLoad, language: language,
                                                  links: HomeworkPages.Links(query: query)))
        }
        router.getAndHead("/board/:class") { request, context -> Response in
            guard let homeworkStore else { return Self.noLedger() }
            let language = Self.language(request)
            let className = context.parameters.get("class").flatMap { $0.removingPercentEncoding } ?? ""
            let (book, today) = try await Self.readLedger(homeworkStore)
            guard book.classGrades[className] != nil else {
                return html(.notFound, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>404</title></head><body><p>\(escapeXML(Messages(language).text(.serveNoClass, className)))</p></body></html>")
            }
            var monday = today.mondayOfWeek
            if let week = request.uri.queryParameters.get("week") {
                guard let m = LessonDate(isoWeek: String(week)) else {
                    throw APIError(.badRequest, .serveBadWeek)
                }
                monday = m
            } else if let last = book.assignments.filter({ $0.className == className && $0.published }).map(\.date).max(), last < monday {
                monday = last.mondayOfWeek
            }
            let query = request.uri.queryParameters.get("lang") == "zh" ? "?lang=zh" : request.uri.queryParameters.get("lang") == "en" ? "?lang=en" : ""
            return html(.ok, HomeworkPages.board(book, className: className, monday: monday, load: settings.policy.homeworkLoad,
                                                 language: language, links: HomeworkPages.Links(query: query)))
        }

        // A correction: the body is the lesson as it should be, with the same id.
        router.put("/api/lessons/:id") { request, context -> Response in
            let id = context.parameters.get("id").flatMap { $0.removingPercentEncoding } ?? ""
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
            } catch {
                throw APIError(.contentTooLarge, .serveBodyTooLarge, "\(settings.maxBodyBytes)")
            }
            let outcome: ArchiveStore.Revision
            do {
                outcome = try await store.revise(id: id, body: Array(buffer.readableBytesView))
            } catch let error as ArchiveStore.WriteError {
                return Self.storeFailure(error)
            }
            switch outcome {
            case .revised(let n): return answer(.ok, RevisionAnswer(id: id, status: "revised", revision: n))
            case .unchanged(let n): return answer(.ok, RevisionAnswer(id: id, status: "unchanged", revision: n))
            case .notFound: return answer(.notFound, RevisionAnswer(id: id, error: APIError(.notFound, .serveNoStoredLesson).message))
            case .rejected(let errors):
                return answer(.unprocessableContent, RevisionAnswer(id: id, status: "rejected", errors: errors))
            case .badBody(let why): return answer(.badRequest, RevisionAnswer(id: id, error: why))
            }
        }
        router.getAndHead("/api/lessons/:id/history") { request, context -> Response in
            let id = context.parameters.get("id").flatMap { $0.removingPercentEncoding } ?? ""
            guard let lines = try await store.versions(of: id) else {
                return answer(.notFound, RevisionAnswer(id: id, error: APIError(.notFound, .serveNoStoredLesson).message))
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: lines)))
        }

        router.getAndHead("/api/lessons") { request, _ -> Response in
            // `since=abc` or `1e3` is a mistake, not 0: the whole archive would be sent.
            var since = 0
            if let text = request.uri.queryParameters.get("since") {
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text) else {
                    throw APIError(.badRequest, .serveBadSince)
                }
                since = n
            }
            let (fd, offset, end) = try await store.range(afterLines: since)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson; charset=utf-8"
            // Streamed a megabyte at a time: a backup of a large archive never sits in memory.
            return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: end - offset) { writer in
                try await store.read(fd, from: offset, to: end) { piece in try await writer.write(ByteBuffer(bytes: piece)) }
                try await writer.finish(nil)
            })
        }

        // The classes' rosters, for the capture page (kept on the phone for offline use).
        router.getAndHead("/api/rosters") { _, _ -> Response in
            json(.ok, Self.rostersJSON(settings.rosters))
        }

        // What makes /capture open offline and installable.
        router.getAndHead("/sw.js") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/javascript; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: CapturePage.serviceWorker)))
        }
        router.getAndHead("/manifest.webmanifest") { request, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/manifest+json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: CapturePage.manifest(language: Self.language(request)))))
        }
        router.getAndHead("/icon.svg") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "image/svg+xml"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: CapturePage.icon)))
        }
        router.getAndHead("/capture") { request, _ -> Response in
            let language = Self.language(request)
            return html(.ok, CapturePage.html(language: language, policy: settings.policy, server: true))
        }

        router.getAndHead("/") { request, _ -> Response in
            try await page(.overview, request, store: store, cache: pages, settings: settings)
        }
        router.getAndHead("/brief") { request, _ -> Response in
            try await page(.brief, request, store: store, cache: pages, settings: settings)
        }
        router.getAndHead("/teacher/:name") { request, context -> Response in
            let name = context.parameters.get("name").flatMap { $0.removingPercentEncoding } ?? ""
            return try await page(.teacher(name), request, store: store, cache: pages, settings: settings)
        }
        router.getAndHead("/lesson/:id") { request, context -> Response in
            let id = context.parameters.get("id").flatMap { $0.removingPercentEncoding } ?? ""
            return try await page(.lesson(id: id), request, store: store, cache: pages, settings: settings)
        }

        router.getAndHead("/login") { request, _ -> Response in
            html(.ok, Self.loginPage(failed: false, language: Self.language(request), next: request.uri.queryParameters.get("next").map { String($0) }))
        }
        let sessions = self.sessions, attempts = self.loginAttempts
        router.post("/login") { request, context -> Response in
            // At most 10 wrong tokens a minute from one address: a token cannot be
            // guessed by trying, and colleagues behind one school address who
            // type it right are never locked out.
            let address = context.remoteAddress?.ipAddress ?? "?"
            guard await attempts.allow(address) else {
                throw APIError(.tooManyRequests, .serveTooManyLogins)
            }
            let body = try await request.body.collect(upTo: 4096)
            let form = String(buffer: body)
            func field(_ name: String) -> String? {
                form.split(separator: "&").first { $0.hasPrefix(name + "=") }
                    .map { String($0.dropFirst(name.count + 1)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            }
            let token = field("token") ?? ""
            let next = Self.safeNext(field("next"))
            guard let expected = settings.token, constantTimeEqual(token, expected) else {
                await attempts.failed(address)
                return html(.forbidden, Self.loginPage(failed: true, language: Self.language(request), next: next))
            }
            // A random session id, never the token itself.
            let id = await sessions.create()
            var headers = HTTPFields()
            headers[.setCookie] = "\(sessionCookie)=\(id); HttpOnly; SameSite=Strict; Path=/; Max-Age=\(Sessions.lifetimeSeconds)"
                + (settings.tls ? "; Secure" : "")
            headers[.location] = next ?? "/"
            return Response(status: .seeOther, headers: headers)
        }
        router.post("/logout") { request, _ -> Response in
            if let id = sessionID(request) { await sessions.remove(id) }
            var headers = HTTPFields()
            headers[.setCookie] = "\(sessionCookie)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
            headers[.location] = "/login"
            return Response(status: .seeOther, headers: headers)
        }
    }

    /// Stores the lines of a POST body: 200 when every line was stored or
    /// already there, 422 when one was rejected, 409 for a conflict.
    static func post(_ request: Request, to store: ArchiveStore, settings: Settings) async throws -> Response {
        // At most two bodies held at once (16 clients posting 8 MB wait
        // their turn, their sockets paused, instead of 128 MB collected),
        // checked two at a time on threads of their own; the store is held
        // only to compare ids and write.
        await bodySlots.acquire()
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch {
            await bodySlots.release()
            throw APIError(.contentTooLarge, .serveBodyTooLarge, "\(settings.maxBodyBytes)")
        }
        let kind = store.kind, policy = settings.policy
        await checkSlots.acquire()
        let checked = await withCheckedContinuation { (done: CheckedContinuation<ArchiveStore.CheckedBody, Never>) in
            bodyCheckers.async { done.resume(returning: ArchiveStore.check(buffer, kind: kind, policy: policy)) }
        }
        await checkSlots.release()
        let stored = await Result { try await store.store(checked) }
        await bodySlots.release()
        let results: [ArchiveStore.LineResult]
        do {
            results = try stored.get()
        } catch let error as ArchiveStore.WriteError {
            return storeFailure(error)
        }
        let status: HTTPResponse.Status
        if results.contains(where: { $0.status == .rejected }) {
            status = .unprocessableContent
        } else if results.contains(where: { $0.status == .conflict }) {
            status = .conflict
        } else {
            status = .ok
        }
        return answer(status, LinesAnswer(results))
    }

    /// 500 for a failed write (nothing stored; a retry may work), 503 when
    /// the archive is not the server's file any more; a JSON reason both.
    static func storeFailure(_ error: ArchiveStore.WriteError) -> Response {
        switch error {
        case .io(let reason): return answer(.internalServerError, ["error": reason + " · " + (Messages.chinese[.serveWriteFailed] ?? "")])
        case .unavailable(let reason): return answer(.serviceUnavailable, ["error": reason + " · " + (Messages.chinese[.serveArchiveGone] ?? "")])
        }
    }

    /// `{"classes": [{"class": "3A", "students": [{"id", "tier", "name", "row", "col"}]}]}`,
    /// classes in file order, absent values left out.
    static func rostersJSON(_ rosters: RosterCSV?) -> String {
        var order: [String] = [], byClass: [String: [RosterCSV.Entry]] = [:]
        for e in rosters?.entries ?? [] {
            let c = e.className ?? ""
            if byClass[c] == nil { order.append(c) }
            byClass[c, default: []].append(e)
        }
        let classes = order.map { c -> String in
            let students = byClass[c]!.map { e -> String in
                var fields = ["\"id\":\(Text.jsonString(e.id))"]
                if let tier = e.tier { fields.append("\"tier\":\"\(tier.rawValue)\"") }
                if let name = e.name { fields.append("\"name\":\(Text.jsonString(name))") }
                if let row = e.row { fields.append("\"row\":\(row)") }
                if let col = e.col { fields.append("\"col\":\(col)") }
                return "{" + fields.joined(separator: ",") + "}"
            }
            return "{\"class\":\(Text.jsonString(c)),\"students\":[" + students.joined(separator: ",") + "]}"
        }
        return "{\"classes\":[" + classes.joined(separator: ",") + "]}\n"
    }

    static func noLedger() -> Response {
        answer(.notFound, ["error": APIError(.notFound, .serveNoLedger).message])
    }

    /// The ledger as it is now, and today's date (for the current week).
    static func readLedger(_ store: ArchiveStore) async throws -> (HomeworkBook, LessonDate) {
        let (fd, size) = try await store.snapshot()
        var source = FileRange(fd: fd, end: size)
        var stream = HomeworkStream()
        var book = HomeworkBook()
        try stream.read(&source, file: store.path, threads: 1) { event, _ in
            if case .accepted(let a, let grade) = event { book.add(a, classGrade: grade) }
        }
        let today = LessonDate.fromDayNumber(Int(Date().timeIntervalSince1970 / 86400))
        return (book, today)
    }

    static func language(_ request: Request) -> ReportLanguage {
        if let lang = request.uri.queryParameters.get("lang"), let l = ReportLanguage(rawValue: lang) { return l }
        let accept = request.headers[.acceptLanguage] ?? ""
        return accept.lowercased().hasPrefix("zh") ? .zh : .en
    }

    /// A page of this server to return to after logging in (`/capture`);
    /// anything else (another site, `//host`) is ignored.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return nil }
        return next
    }

    static func loginPage(failed: Bool, language: ReportLanguage, next: String? = nil) -> String {
        let zh = language == .zh, words = Messages(language)
        let hidden = safeNext(next).map { "<input type=\"hidden\" name=\"next\" value=\"\(escapeXML($0))\"/>" } ?? ""
        return """
        <!DOCTYPE html><html lang="\(zh ? "zh-CN" : "en")"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>LessonLens</title><style>body{font-family:sans-serif;max-width:420px;margin:40px auto;padding:0 12px}input,button{font-size:16px;min-height:44px;width:100%;margin:6px 0}</style></head>
        <body><h1>LessonLens</h1>\(failed ? "<p role=\"alert\">✗ \(words.both(.serveWrongToken))</p>" : "")
        <form method="post" action="/login"><label for="token">\(words.both(.serveGroupToken))</label>
        <input id="token" name="token" type="password" autocomplete="current-password"/>\(hidden)<button type="submit">\(words.both(.serveEnter))</button></form></body></html>
        """
    }
}

// MARK: - Pages

/// Report pages made from the archive as it is now, cached until it
/// changes, bounded in bytes (`--cache-mb`): the least recently used go
/// first. A page is kept as one buffer that every answer shares (a
/// ByteBuffer is copied on write only), never copied per client.
actor PageCache {
    private var pages: [String: (generation: Int, page: ByteBuffer, used: UInt64)] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    let limit: Int

    init(limitBytes: Int) { limit = limitBytes }

    func get(_ key: String, generation: Int) -> ByteBuffer? {
        guard var p = pages[key], p.generation == generation else { return nil }
        clock += 1
        p.used = clock
        pages[key] = p
        return p.page
    }

    func put(_ key: String, generation: Int, page: ByteBuffer) {
        if let old = pages.removeValue(forKey: key) { bytes -= old.page.readableBytes }
        guard page.readableBytes <= limit else { return }
        while bytes + page.readableBytes > limit, let oldest = pages.min(by: { $0.value.used < $1.value.used }) {
            bytes -= oldest.value.page.readableBytes
            pages[oldest.key] = nil
        }
        clock += 1
        pages[key] = (generation, page, clock)
        bytes += page.readableBytes
    }

    /// Bytes held (for tests).
    var size: Int { bytes }
}

/// At most `limit` report pages built at once, off the request threads: a burst of uncached pages waits its turn instead
/// of starving `/api/health` and posts.
actor BuildSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ limit: Int) { free = limit }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// The same pages as `lessonlens report`, from the archive file.
private func page(_ which: ReportBuilder.Page, _ request: Request, store: ArchiveStore, cache: PageCache,
                  settings: LessonLensServer.Settings) async throws -> Response {
    let language = LessonLensServer.language(request)
    // `?where=` (the CLI's grammar) and the form's subject, class, from and to.
    let filters: (filter: LessonFilter?, links: ReportPages.PageLinks)
    switch pageFilters(request) {
    case .success(let f): filters = f
    case .failure(let error):
        return html(.badRequest, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>400</title></head><body><p>\(escapeXML(error.message))</p><p><a href=\"/\">LessonLens</a></p></body></html>")
    }
    let key = "\(which)|\(language.rawValue)|\(filters.links.query)"
    // The archive gone or cut short is a 503, not a page from the cache.
    try await store.verify()
    // Keyed by the store's generation: a correction may keep the size.
    let generation = await store.generation
    if let cached = await cache.get(key, generation: generation) { return html(.ok, cached) }
    // An id or teacher the archive does not have: answered from the index, no scan.
    let known: Bool
    switch which {
    case .lesson(let id): known = await store.has(id: id)
    case .teacher(let name): known = await store.has(teacher: name)
    case .overview, .brief: known = true
    }
    var builder = ReportBuilder(page: which, policy: settings.policy, labels: Labels(language, policy: settings.policy))
    builder.links = filters.links
    builder.filterText = filters.filter?.description ?? ""
    let filter = filters.filter
    let start = builder
    // Requests for a page being built wait for that build (60 readers of a
    // cold overview make one page, not 60).
    let built: ByteBuffer? = known ? try await pageFlights.page("\(key)|\(generation)") {
        // The archive as it is now (its size when asked), read as `report` reads it,
        // off the request threads, one page at a time.
        let (fd, size) = try await store.snapshot()
        let lessons = store.health.lessons
        await buildSlots.acquire()
        let html: String?
        do {
            html = try await withCheckedThrowingContinuation { (done: CheckedContinuation<String?, Error>) in
                pageBuilders.async {
                    do {
                        var builder = start
                        builder.reserveCapacity(lessons)
                        var source = FileRange(fd: fd, end: size)
                        // Read as every command reads: the library's one reader.
                        var matches: (@Sendable (EvaluatedLesson) -> Bool)?
                        if let filter { matches = { @Sendable e in filter.matches(e) } }
                        // Chunks of 256 KB: a server holds 13 of them per page being built.
                        let reader = ArchiveReader<Void>(policy: settings.policy, threads: 2, chunkSize: 256 << 10,
                                                         keepTimelines: builder.needsTimelines, matches: matches) { _ in () }
                        try reader.read(&source, name: settings.archive) { lesson, _, at in
                            if let lesson { builder.add(lesson, file: at.file, line: at.line) }
                        }
                        done.resume(returning: builder.html())
                    } catch {
                        done.resume(throwing: error)
                    }
                }
            }
        } catch {
            await buildSlots.release()
            throw error
        }
        await buildSlots.release()
        // A page of a large archive allocates hundreds of MB that are free
        // once it is made: give them back, or the server keeps its peak.
        _ = mallocTrim(0)
        guard var finished = html else { return nil }
        // The overview links the homework pages when the server keeps a ledger.
        if case .overview = which, settings.homework != nil, let body = finished.range(of: "<body>\n") {
            let link = Messages(language).both(.serveHomeworkLink)
            finished.insert(contentsOf: "<nav class=\"crumbs\"><a href=\"/homework\">\(link)</a></nav>\n", at: body.upperBound)
        }
        let buffer = ByteBuffer(string: finished)
        await cache.put(key, generation: generation, page: buffer)
        return buffer
    } : nil
    guard let page = built else {
        // In the archive but left out by the page's filter: said so, with the
        // page without the filter one click away.
        let words = Messages(language), filtered = known && filter != nil
        var what = "", unfiltered = ""
        switch which {
        case .lesson(let id):
            what = words.text(filtered ? .serveLessonFiltered : .serveNoLesson, id, filter?.description ?? "")
            unfiltered = "/lesson/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id)
        case .teacher(let name):
            what = words.text(filtered ? .serveTeacherFiltered : .serveNoTeacher, name, filter?.description ?? "")
            unfiltered = "/teacher/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? name)
        case .overview, .brief: break
        }
        let back = filtered ? "<p><a href=\"\(escapeXML(unfiltered))\">\(escapeXML(words(.serveWithoutFilter)))</a></p>" : ""
        return html(.notFound, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"/><title>404</title></head><body><p>\(escapeXML(what))</p>\(back)<p><a href=\"/\">LessonLens</a></p></body></html>")
    }
    return html(.ok, page)
}

extension Result where Failure == Error {
    /// The outcome of an async throwing body.
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// One build per page at a time: a request for a page being built waits for
/// that build's result instead of starting its own.
actor PageFlights {
    private var building: [String: Task<ByteBuffer?, Error>] = [:]

    func page(_ key: String, build: @escaping @Sendable () async throws -> ByteBuffer?) async throws -> ByteBuffer? {
        if let running = building[key] { return try await running.value }
        let task = Task { try await build() }
        building[key] = task
        defer { building[key] = nil }
        return try await task.value
    }
}

private let pageFlights = PageFlights()

/// glibc's malloc_trim (malloc.h is not in Swift's Glibc module): hands freed
/// heap pages back to the system.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
/// glibc's mallopt, for the same reason.
@_silgen_name("mallopt") private func mallocOption(_ parameter: Int32, _ value: Int32) -> Int32

/// One report page built at a time (BuildSlots), on threads of its own
/// rather than the request threads (reading an archive blocks): a page
/// already reads with both cores, and two pages of a 100,000-lesson archive
/// at once would hold twice the memory.
private let buildSlots = BuildSlots(1)
private let pageBuilders = DispatchQueue(label: "lessonlens.pages", attributes: .concurrent)

/// Posted bodies checked two at a time, on threads of their own (a burst of
/// 8 MB posts waits its turn instead of taking every request thread).
private let checkSlots = BuildSlots(2)
private let bodySlots = BuildSlots(2)
private let bodyCheckers = DispatchQueue(label: "lessonlens.checks", attributes: .concurrent)

/// The filter a page's query asks for, and the links that keep it: `where`
/// in the `--where` grammar, and `subject`, `class`, `from`, `to` from the
/// pages' form. A filter that cannot be read is the reason (400).
func pageFilters(_ request: Request) -> Result<(filter: LessonFilter?, links: ReportPages.PageLinks), FilterError> {
    let q = request.uri.queryParameters
    func value(_ name: String) -> String { q.get(name).map { String($0).trimmingCharacters(in: .whitespaces) } ?? "" }
    var parts: [String] = []
    if !value("where").isEmpty { parts.append(value("where")) }
    if !value("subject").isEmpty { parts.append("subject=" + value("subject")) }
    if !value("class").isEmpty { parts.append("class=" + value("class")) }
    if !value("from").isEmpty { parts.append("date>=" + value("from")) }
    if !value("to").isEmpty { parts.append("date<=" + value("to")) }
    var filter: LessonFilter?
    if !parts.isEmpty {
        do { filter = try LessonFilter(parts.joined(separator: ",")) } catch {
            return .failure(FilterError(message: "where: \(error.why)"))
        }
    }
    // The links keep the query as it came (percent-encoded, so safe in an href).
    var links = ReportPages.PageLinks(query: request.uri.query.map { "?" + $0 } ?? "")
    links.subject = value("subject"); links.className = value("class"); links.from = value("from"); links.to = value("to")
    return .success((filter, links))
}

/// A page's filter that cannot be read.
struct FilterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The first `end` bytes of a file, for the stream; the file is closed
/// when the last copy of the source goes away.
struct FileRange: ByteSource {
    private final class Descriptor {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }
    private let file: Descriptor
    private var remaining: Int
    private var offset = 0

    /// Reads `fd` (which it closes) from its start up to `end`.
    init(fd: Int32, end: Int) {
        file = Descriptor(fd)
        remaining = end
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0 else { return 0 }
        let n = pread(file.fd, buffer.baseAddress, min(buffer.count, remaining), off_t(offset))
        guard n >= 0 else { throw ArchiveStore.OpenError(description: "read failed: \(String(cString: strerror(errno)))") }
        remaining = n == 0 ? 0 : remaining - n
        offset += n
        return n
    }
}

private func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

private func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
    html(status, ByteBuffer(string: text))
}

private func html(_ status: HTTPResponse.Status, _ buffer: ByteBuffer) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "text/html; charset=utf-8"
    headers[.contentSecurityPolicy] = "default-src 'self' 'unsafe-inline' data: blob:; frame-ancestors 'none'"
    // The language may come from Accept-Language: caches must keep the languages apart.
    headers[.vary] = "Accept-Language"
    return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
}

// MARK: - Middleware

/// One line per request on stderr: method, path without query values,
/// status, bytes, milliseconds. Never lesson content, never tokens.
struct RequestLog<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let query = request.uri.query.map { q in "?" + q.split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.joined(separator: "&") } ?? ""
        func log(_ status: Int, _ bytes: Int) {
            let ms = (ContinuousClock.now - start).components
            let millis = Double(ms.seconds) * 1000 + Double(ms.attoseconds) / 1e15
            FileHandle.standardError.write(Data("lessonlens: \(request.method) \(path)\(query) \(status) \(bytes) B \(String(format: "%.1f", millis)) ms\n".utf8))
        }
        do {
            let response = try await next(request, context)
            log(response.status.code, response.body.contentLength ?? 0)
            return response
        } catch let error as HTTPError {
            log(error.status.code, 0)
            throw error
        } catch {
            log(500, 0)
            throw error
        }
    }
}

/// With a token, every request but `/api/health` (and the login form) needs
/// it: `Authorization: Bearer TOKEN`, or the cookie the login form sets.
/// 401 without one, 403 with a wrong one. Compared in constant time.
struct TokenCheck<Context: RequestContext>: RouterMiddleware {
    let token: String
    let sessions: Sessions
    /// `--public-board`: the parents' boards are read without the token.
    var publicBoard = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // No data in these: the login form, and what lets /capture open offline.
        if ["/api/health", "/login", "/logout", "/sw.js", "/manifest.webmanifest", "/icon.svg"].contains(path) { return try await next(request, context) }
        if publicBoard && path.hasPrefix("/board/") && (request.method == .get || request.method == .head) { return try await next(request, context) }
        // Programs: the token, `Authorization: Bearer` in any case (RFC 9110).
        if let auth = request.headers[.authorization], auth.count > 7, auth.prefix(7).lowercased() == "bearer " {
            let offered = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            guard constantTimeEqual(offered, token) else { throw APIError(.forbidden, .serveWrongToken) }
            return try await next(request, context)
        }
        // Browsers: the session of the login form.
        if let id = sessionID(request), await sessions.isValid(id) {
            // A write by cookie must come from this server's own pages.
            if request.method == .post || request.method == .put || request.method == .delete || request.method == .patch {
                let authority = request.head.authority ?? ""
                guard let origin = request.headers[.origin], origin == "http://" + authority || origin == "https://" + authority else {
                    throw APIError(.forbidden, .serveCookieOrigin)
                }
            }
            return try await next(request, context)
        }
        // Pages answer 401 with the login form, so that a browser can log in.
        if path.hasPrefix("/api/") { throw APIError(.unauthorized, .serveTokenNeeded) }
        // After logging in, back to the page asked for.
        return html(.unauthorized, LessonLensServer.loginPage(failed: false, language: LessonLensServer.language(request), next: path))
    }
}

/// The session cookie's value, if the request has one.
func sessionID(_ request: Request) -> String? {
    guard let cookies = request.headers[.cookie] else { return nil }
    for part in cookies.split(separator: ";") {
        let kv = part.trimmingCharacters(in: .whitespaces)
        if kv.hasPrefix(sessionCookie + "=") { return String(kv.dropFirst(sessionCookie.count + 1)) }
    }
    return nil
}

/// Logged-in browsers: random session ids (never the token) that expire.
actor Sessions {
    static let lifetimeSeconds = 12 * 3600
    private var expiry: [String: ContinuousClock.Instant] = [:]

    /// A new session: 32 random bytes as hex.
    func create() -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded16 }.joined()
        let now = ContinuousClock.now
        if expiry.count > 10_000 { expiry = expiry.filter { $0.value > now } }
        expiry[id] = now + .seconds(Sessions.lifetimeSeconds)
        return id
    }

    func isValid(_ id: String) -> Bool {
        guard let until = expiry[id] else { return false }
        if until <= ContinuousClock.now { expiry[id] = nil; return false }
        return true
    }

    func remove(_ id: String) { expiry[id] = nil }
}

/// Login attempts per client address in the last minute.
actor LoginAttempts {
    private var recent: [String: [ContinuousClock.Instant]] = [:]

    /// Whether `address` may try again: fewer than 10 wrong tokens in the last minute.
    func allow(_ address: String) -> Bool {
        let now = ContinuousClock.now
        let list = (recent[address] ?? []).filter { now - $0 < .seconds(60) }
        recent[address] = list
        return list.count < 10
    }

    /// Counts a wrong token from `address`.
    func failed(_ address: String) {
        let now = ContinuousClock.now
        recent[address, default: []].append(now)
        if recent.count > 10_000 { recent = recent.filter { !$0.value.isEmpty && now - $0.value.last! < .seconds(60) } }
    }
}

/// The request context of the server: Hummingbird's, with the client's address.
struct ServerContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension String {
    fileprivate var leftPadded16: String { count >= 16 ? self : String(repeating: "0", count: 16 - count) + self }
}

/// What another site cannot do through a browser. Without a token the
/// server answers only requests addressed to a loopback name (else 421: a
/// page from another site that rebinds its DNS name to 127.0.0.1 reaches no
/// data). A write (POST, PUT, DELETE) that says where it comes from
/// (`Origin`) must come from the server's own origin, and a write to the API
/// must say it sends JSON (`Content-Type: application/x-ndjson` or
/// `application/json`), which a cross-site form or a `no-cors` fetch cannot
/// (else 403): nothing is stored by a page of another site.
struct Doors<Context: RequestContext>: RouterMiddleware {
    let tokenless: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority ?? ""
        if tokenless && !LessonLensServer.isLoopbackLiteral(Self.hostName(authority)) {
            throw APIError(.misdirectedRequest, .serveLoopbackOnly)
        }
        if request.method == .post || request.method == .put || request.method == .delete || request.method == .patch {
            if let origin = request.headers[.origin], origin != "http://" + authority && origin != "https://" + authority {
                throw APIError(.forbidden, .serveForeignWrite, Self.clean(origin))
            }
            if request.uri.path.hasPrefix("/api/") {
                let type = (request.headers[.contentType] ?? "").lowercased()
                let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard media == "application/x-ndjson" || media == "application/json" else {
                    throw APIError(.forbidden, .serveContentType)
                }
            }
        }
        return try await next(request, context)
    }

    /// The host of a `Host` value: without its port, `[::1]` as `::1`.
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if let colon = authority.lastIndex(of: ":") { return String(authority[..<colon]) }
        return authority
    }

    /// A header value safe inside a JSON string of an error.
    static func clean(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }.prefix(200).map(Character.init))
    }
}

/// Any error a route throws that is not an HTTP answer becomes a 500 with
/// a JSON reason (never an empty body).
struct ErrorBody<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            throw error
        } catch let error as ArchiveStore.WriteError {
            return LessonLensServer.storeFailure(error)
        } catch {
            return answer(.internalServerError, ["error": "\(error)"])
        }
    }
}

extension Router {
    /// A GET route, and `HEAD` on it: the GET's status and headers, no body.
    func getAndHead(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        get(path, use: handler)
        head(path) { request, context -> Response in
            let response = try await handler(request, context)
            var headers = response.headers
            if let length = response.body.contentLength { headers[.contentLength] = String(length) }
            return Response(status: response.status, headers: headers, body: ResponseBody())
        }
    }
}

/// The cookie the login form sets: a session id.
let sessionCookie = "lessonlens_session"

/// Constant time in the offered token's content (its length is not secret).
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for k in 0..<max(x.count, y.count) {
        diff |= (k < x.count ? x[k] : 0) ^ (k < y.count ? y[k] : 0)
    }
    return diff == 0
}
