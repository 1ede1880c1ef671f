import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import LessonLensServer

/// The server's routes and doors driven in process (HummingbirdTesting's
/// router framework: no socket), beside the end-to-end tests in Python.
@Suite struct ServerRouteTests {
    func object(_ body: ByteBuffer) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(value as? [String: Any])
    }

    static let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]

    @Test func healthPostsCorrectionsAndPagesThroughTheRouter() async throws {
        let path = scratch() + "/a.jsonl"
        let server = try LessonLensServer(.init(archive: path))
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get) { r in
                let o = try object(r.body)
                #expect(r.status == .ok)
                #expect(o["status"] as? String == "ok" && o["lessons"] as? Int == 0)
                // Keys in one order, call after call.
                #expect(String(buffer: r.body) == #"{"lessons":0,"status":"ok"}"# + "\n")
            }
            // One good line, one bad: 422, each line answered, the good one stored.
            let body = ByteBuffer(string: lessonLine("r1") + "\n{\"id\":\"bad\"}\n")
            try await client.execute(uri: "/api/lessons", method: .post, headers: Self.ndjson, body: body) { r in
                #expect(r.status == .unprocessableContent)
                let o = try object(r.body)
                let lines = try #require(o["lines"] as? [[String: Any]])
                #expect(lines.map { $0["status"] as? String } == ["stored", "rejected"])
                #expect(lines.map { $0["line"] as? Int } == [1, 2] && lines[1]["id"] as? String == "bad")
                #expect((lines[1]["errors"] as? [String])?.first?.contains("date") == true)
                // The answer is the server's own Codable value.
                let typed = try JSONDecoder().decode(LinesAnswer.self, from: Data(buffer: r.body))
                #expect(typed.lines.map(\.status) == ["stored", "rejected"] && typed.lines[0].id == "r1" && typed.lines[0].errors.isEmpty)
            }
            // The same line again is a duplicate (200); other content under its id a conflict (409).
            try await client.execute(uri: "/api/lessons", method: .post, headers: Self.ndjson, body: ByteBuffer(string: lessonLine("r1") + "\n")) { r in
                let o = try object(r.body)
                #expect(r.status == .ok)
                #expect((o["lines"] as? [[String: Any]])?.first?["status"] as? String == "duplicate")
            }
            try await client.execute(uri: "/api/lessons", method: .post, headers: Self.ndjson,
                                     body: ByteBuffer(string: lessonLine("r1", notes: "other") + "\n")) { r in
                #expect(r.status == .conflict)
            }
            // A page of another site cannot write; a form post is not JSON.
            var foreign = Self.ndjson
            foreign[.origin] = "https://evil.example"
            try await client.execute(uri: "/api/lessons", method: .post, headers: foreign, body: ByteBuffer(string: lessonLine("r2") + "\n")) { r in
                #expect(r.status == .forbidden && String(buffer: r.body).contains("another site"))
            }
            try await client.execute(uri: "/api/lessons", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: lessonLine("r3") + "\n")) { r in
                #expect(r.status == .forbidden)
            }
            // A correction: revision 2, then the same bytes unchanged; an unknown id 404.
            try await client.execute(uri: "/api/lessons/r1", method: .put, headers: Self.ndjson, body: ByteBuffer(string: lessonLine("r1", notes: "fixed"))) { r in
                let o = try object(r.body)
                #expect(r.status == .ok)
                #expect(o["status"] as? String == "revised" && o["revision"] as? Int == 2)
                let typed = try JSONDecoder().decode(RevisionAnswer.self, from: Data(buffer: r.body))
                #expect(typed.id == "r1" && typed.revision == 2 && typed.error == nil)
            }
            try await client.execute(uri: "/api/lessons/r1", method: .put, headers: Self.ndjson, body: ByteBuffer(string: lessonLine("r1", notes: "fixed"))) { r in
                let o = try object(r.body)
                #expect(o["status"] as? String == "unchanged")
            }
            try await client.execute(uri: "/api/lessons/nope", method: .put, headers: Self.ndjson, body: ByteBuffer(string: lessonLine("nope"))) { r in
                #expect(r.status == .notFound)
            }
            // Pages: an unknown lesson answered from the index; the lesson's own page titled by its date.
            try await client.execute(uri: "/lesson/nope", method: .get) { r in #expect(r.status == .notFound) }
            // A lesson the filter leaves out is not "not in the archive".
            try await client.execute(uri: "/lesson/r1?subject=math", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(r.status == .notFound && text.contains("is in the archive but not among the lessons where") && text.contains("href=\"/lesson/r1\""))
                #expect(r.headers[.vary] == "Accept-Language")
            }
            try await client.execute(uri: "/lesson/r1", method: .get) { r in
                #expect(r.status == .ok && String(buffer: r.body).contains("<title>"))
            }
            try await client.execute(uri: "/api/health", method: .head) { r in
                #expect(r.status == .ok && r.body.readableBytes == 0)
            }
            try await client.execute(uri: "/api/health", method: .get) { r in
                let o = try object(r.body)
                #expect(o["lessons"] as? Int == 1)
            }
        }
        #expect(contents(path).components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
    }

    @Test func withATokenEveryRouteButHealthIsClosed() async throws {
        var settings = LessonLensServer.Settings(archive: scratch() + "/a.jsonl")
        settings.token = "a-token-of-at-least-16"
        let server = try LessonLensServer(settings)
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/api/lessons", method: .post, headers: Self.ndjson, body: ByteBuffer(string: lessonLine("t1") + "\n")) { r in
                #expect(r.status == .unauthorized)
            }
            // Right tokens are never counted against the address; ten wrong ones a minute are.
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            for _ in 0..<12 {
                try await client.execute(uri: "/login", method: .post, headers: form, body: ByteBuffer(string: "token=a-token-of-at-least-16&next=%2Fcapture")) { r in
                    #expect(r.status == .seeOther && r.headers[.location] == "/capture")
                }
            }
            for k in 0..<11 {
                try await client.execute(uri: "/login", method: .post, headers: form, body: ByteBuffer(string: "token=wrong")) { r in
                    #expect(r.status == (k < 10 ? .forbidden : .tooManyRequests))
                }
            }
            var authorized = Self.ndjson
            authorized[.authorization] = "Bearer a-token-of-at-least-16"
            try await client.execute(uri: "/api/lessons", method: .post, headers: authorized, body: ByteBuffer(string: lessonLine("t1") + "\n")) { r in
                #expect(r.status == .ok)
            }
        }
    }
}
