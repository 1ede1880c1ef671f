import Foundation
import HTTPTypes
import Hummingbird
import LessonLensOutput
import NIOCore

/// What the API answers, as values encoded in one place (the JSON shapes
/// are the server's documented contract: README, "A group's shared archive").

/// `GET /api/health`.
struct HealthAnswer: Codable {
    var status: String
    var lessons: Int?
    var assignments: Int?
    var reason: String?
}

/// A POST's answer: one entry per non-blank line.
struct LinesAnswer: Codable {
    struct Line: Codable {
        var line: Int
        var id: String?
        var status: String
        var errors: [String]
        var warnings: [String]
        enum CodingKeys: String, CodingKey { case line, id, status, errors, warnings }
        init(line: Int, id: String?, status: String, errors: [String], warnings: [String]) {
            self.line = line; self.id = id; self.status = status; self.errors = errors; self.warnings = warnings
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            line = try c.decode(Int.self, forKey: .line)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            status = try c.decode(String.self, forKey: .status)
            errors = try c.decode([String].self, forKey: .errors)
            warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(id, forKey: .id)  // null when the line had none
            try c.encode(status, forKey: .status)
            try c.encode(errors, forKey: .errors)
            if !warnings.isEmpty { try c.encode(warnings, forKey: .warnings) }
        }
    }
    var lines: [Line]

    init(_ results: [ArchiveStore.LineResult]) {
        lines = results.map { Line(line: $0.line, id: $0.id, status: $0.status.rawValue, errors: $0.errors, warnings: $0.warnings) }
    }
}

/// `PUT /api/lessons/ID`'s answer.
struct RevisionAnswer: Codable {
    var id: String
    var status: String?
    var revision: Int?
    var errors: [String]?
    var error: String?
}

/// An error answer, `{"error": "English · 中文"}`, with its status: thrown by a
/// handler or middleware, made into the response by Hummingbird.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) { self.status = status; self.message = message }

    /// The reason of `key` in both languages.
    init(_ status: HTTPResponse.Status, _ key: Messages.Key, _ values: String...) {
        self.status = status
        var en = Messages.english[key] ?? key.rawValue, zh = Messages.chinese[key] ?? key.rawValue
        for (k, value) in values.enumerated().reversed() {
            en = en.replacingOccurrences(of: "{\(k)}", with: value); zh = zh.replacingOccurrences(of: "{\(k)}", with: value)
        }
        message = en + " · " + zh
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        answer(status, ["error": message])
    }
}

private let encoder: JSONEncoder = {
    let e = JSONEncoder()
    // Sorted: the same answer is the same bytes on every call (a dictionary
    // inside the encoder orders keys differently from call to call).
    e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return e
}()

/// `value` as a JSON answer (one line, ending with a line feed).
func answer(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    var data = (try? encoder.encode(value)) ?? Data("{\"error\":\"the answer could not be encoded\"}".utf8)
    data.append(0x0A)
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
